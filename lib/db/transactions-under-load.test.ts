// sql.begin while every pooled connection is busy: postgres.js 3.4.9 could send a transaction's BEGIN
// without reserving its connection once that BEGIN filled the connection's pipeline, and failed it with
// UNSAFE_TRANSACTION (or let other queries into it). Our patch (patches/postgres+3.4.9.patch) reserves
// the connection whenever BEGIN is written. A small pipeline makes the boundary easy to reach; the
// app's default of 100 reaches it under load (a worker taking over hundreds of instances).
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'

const database = await useTestDatabase()
// max_pipeline is read by postgres.js (src/index.js, parseOptions) but missing from its types.
const sql = postgres(database.url, { max: 3, onnotice: () => {}, ...({ max_pipeline: 2 } as object) })
afterAll(() => sql.end({ timeout: 5 }))
await sql`create table under_load (id serial primary key, round int not null, tx int not null)`

describe('sql.begin under load', () => {
  it('commits every transaction, each on a connection of its own, while the pool is saturated', async () => {
    for (let round = 0; round < 10; round++) {
      // Each connection: a slow query, then one more in its pipeline, so the next query (a BEGIN) is
      // the one that fills it. (execute() dispatches now; a query is otherwise sent when awaited.)
      const busy = Array.from({ length: 3 }, () => sql`select pg_sleep(0.05)`.execute())
      const plain = Array.from({ length: 3 }, () => sql`select 1`.execute())
      const transactions = Array.from({ length: 5 }, (_, tx) =>
        sql.begin(async (t) => {
          const [{ pid }] = await t`select pg_backend_pid() as pid`
          await t`insert into under_load (round, tx) values (${round}, ${tx})`
          const [again] = await t`select pg_backend_pid() as pid, now() = statement_timestamp() as fresh`
          // Still on the same backend, inside one transaction (now() froze at its start).
          return { samePid: again.pid === pid, inTransaction: again.fresh === false }
        }),
      )
      const outcomes = await Promise.allSettled([...busy, ...plain, ...transactions])
      const failures = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason))
      expect(failures).toEqual([])
      for (const outcome of outcomes.slice(6)) expect((outcome as PromiseFulfilledResult<unknown>).value).toEqual({ samePid: true, inTransaction: true })
    }
    const [{ count }] = await sql`select count(*)::int as count from under_load`
    expect(count).toBe(50)
    const [{ open }] = await sql`select count(*)::int as open from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`
    expect(open).toBe(0)
  })
})
