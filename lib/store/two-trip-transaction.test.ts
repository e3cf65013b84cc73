// twoTripTransaction: all or nothing, as sql.begin, though its COMMIT goes out before the statements' answers.
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'

const database = await useTestDatabase()
process.env.DATABASE_URL = database.url // before lib/db first connects
const { sqlClient, twoTripTransaction } = await import('./sql')
const sql = sqlClient()
await sql`create table two_trip (id int primary key, note text not null)`
await sql`insert into two_trip values (1, 'first')`
afterAll(() => sql`drop table two_trip`)

const notes = async () => (await sql`select id, note from two_trip order by id`).map((row) => `${row.id}:${row.note}`)

describe('twoTripTransaction', () => {
  it('commits the first statement and the rest together', async () => {
    const committed = await twoTripTransaction(
      (tx) => tx`update two_trip set note = 'updated' where id = 1 returning id`,
      (tx, [row]) => (row ? [tx`insert into two_trip values (2, 'second')`, tx`insert into two_trip values (3, 'third')`] : null),
    )
    expect(committed).toBe(true)
    expect(await notes()).toEqual(['1:updated', '2:second', '3:third'])
  })

  it('rolls the first statement back when the rest is null', async () => {
    const committed = await twoTripTransaction(
      (tx) => tx`update two_trip set note = 'not kept' where id = 1 returning id`,
      () => null,
    )
    expect(committed).toBe(false)
    expect(await notes()).toEqual(['1:updated', '2:second', '3:third'])
  })

  it('keeps nothing when one statement of the rest fails, and throws its error', async () => {
    await expect(
      twoTripTransaction(
        (tx) => tx`update two_trip set note = 'not kept' where id = 1 returning id`,
        (tx) => [tx`insert into two_trip values (4, 'not kept')`, tx`insert into two_trip values (2, 'duplicate key')`, tx`insert into two_trip values (5, 'not kept')`],
      ),
    ).rejects.toMatchObject({ code: '23505' })
    expect(await notes()).toEqual(['1:updated', '2:second', '3:third'])
  })

  it('keeps nothing when the first statement fails, and leaves its connection usable', async () => {
    await expect(
      twoTripTransaction(
        (tx) => tx`update two_trip set note = null where id = 1 returning id`,
        (tx) => [tx`insert into two_trip values (6, 'not kept')`],
      ),
    ).rejects.toMatchObject({ code: '23502' })
    expect(await notes()).toEqual(['1:updated', '2:second', '3:third'])
    // No connection was given back to the pool inside its transaction.
    const [{ open }] = await sql`select count(*)::int as open from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`
    expect(open).toBe(0)
  })
})
