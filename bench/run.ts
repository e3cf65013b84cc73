// npm run bench: the real stack on its own database, each hot path measured next to its floor in the same run.
// BENCH_ONLY=1,2,3,4,5,6 picks sections; BENCH_INSTANCES=10,100,1000 the idle-instance steps;
// BENCH_MESSAGES (default 1,000,000) the stored messages findMessages reads (6); BENCH_PRUNE_MESSAGES
// (default 1,000,000) the expired messages pruned while sends stream (7), BENCH_PRUNE_BASELINE_S (20)
// how long the same stream runs without pruning first; BENCH_TAKEOVER_INSTANCES (500) the instances
// of the SIGKILLed worker (8); BENCH_LEASE_SECONDS (20) how long each lease protocol runs (9).
import postgres from 'postgres'
import { buildWebIfNeeded } from '@/lib/runtime/build'
import { createMigratedDatabase } from '@/test-support/database'
import { dataPlane } from '@/test-support/data-plane'
import { pairInstance } from '@/test-support/pairing'
import { startSimulatorProcess } from '@/test-support/simulator'
import type { Stack } from '@/test-support/stack'
import { createAccountWithKey, inParallel, say, startBenchStack, startExtraWeb } from './stack'
import { measureDataPlane, measureUsageCounting } from './data-plane'
import { measureSend } from './send'
import { measureWebhooks } from './webhooks'
import { measureInstances } from './instances'
import { measureColdStart } from './cold-start'
import { measureFindMessages } from './find-messages'
import { measurePruning } from './pruning'
import { measureTakeover } from './takeover'
import { measureLeases } from './leases'
import { createVerifiedAccount } from '@/test-support/accounts'
import { machine, printTable, type Row } from './stats'

// Our own build directory, so a bench never rebuilds (or races) the one `npm start` or the tests use.
process.env.NEXT_DIST_DIR ??= '.next-bench'
const only = new Set((process.env.BENCH_ONLY ?? '1,2,3,4,5,6,7,8,9').split(',').map((section) => section.trim()))
const steps = (process.env.BENCH_INSTANCES ?? '10,100,1000').split(',').map(Number)
const LOAD_INSTANCES = 20
const CONTACT = '919876543210'
const phoneOf = (index: number) => `1555${String(2_000_000 + index).padStart(7, '0')}`

buildWebIfNeeded(say)
const rows: Row[] = []
const notes: string[] = []
const database = await createMigratedDatabase({ namePrefix: 'sage_bench', embeddedDir: 'bench-pg' })
process.env.DATABASE_URL = database.url
process.env.LOG_LEVEL ??= 'warn'
const probe = postgres(database.url, { max: 1, onnotice: () => {} })
const [{ server_version: postgresVersion }] = await probe`show server_version`
say(`database ${database.name} on Postgres ${postgresVersion}`)
const sim = await startSimulatorProcess()
let stack: Stack | undefined
let failure: unknown
try {
  if (only.has('9')) {
    // Before any worker runs: none may try to hold its 10,000 rows.
    say('9. lease protocol')
    const { userId } = await createVerifiedAccount(database.url, { emailPrefix: 'bench-leases' })
    rows.push(...(await measureLeases({ databaseUrl: database.url, userId })))
  }
  if (['1', '2', '3', '4', '6', '7', '8'].some((section) => only.has(section))) {
    stack = await startBenchStack(database.url, sim.env)
    const account = await createAccountWithKey(stack, database.url)
    const api = dataPlane(stack, account.apiKey)
    const pids = { web: stack.web.pid!, worker: stack.workers[0].pid!, simulator: sim.child.pid! }
    const names = Array.from({ length: LOAD_INSTANCES }, (_, i) => `load-${String(i).padStart(2, '0')}`)
    for (const name of names) await probe`insert into instances (user_id, name) values (${account.userId}, ${name})`
    await sim.client.createAccount(CONTACT, 'Bench Contact')
    // Receipts would add two events per send; the send path is measured without them.
    await sim.client.setReceiptTiming({ deliveryMs: null, readMs: null })

    if (only.has('1')) {
      say('1. data-plane overhead')
      rows.push(...(await measureDataPlane({ baseUrl: stack.baseUrl, apiKey: account.apiKey, instanceName: names[0], pids })))
      // Two fresh web processes, alike but for the setting: the stack's own web has been warm for longer.
      const [counted, uncounted] = await Promise.all([startExtraWeb(stack, {}), startExtraWeb(stack, { USAGE_COUNTING_OFF: '1' })])
      try {
        rows.push(...(await measureUsageCounting({ countedBaseUrl: counted.baseUrl, uncountedBaseUrl: uncounted.baseUrl, apiKey: account.apiKey, instanceName: names[0] })))
      } finally {
        await Promise.all([counted.stop(), uncounted.stop()])
      }
    }
    if (only.has('2') || only.has('3') || only.has('7')) {
      // Section 7 alone streams on two instances: pairing twenty would only slow its setup.
      const toPair = only.has('2') || only.has('3') ? names : names.slice(0, 2)
      say(`pairing ${toPair.length} instances`)
      await inParallel(toPair, 5, (name, i) => pairInstance(api, sim, name, phoneOf(i), 60_000))
    }
    if (only.has('2')) {
      say('2. send path')
      rows.push(...(await measureSend({ baseUrl: stack.baseUrl, apiKey: account.apiKey, instances: names, to: CONTACT, databaseUrl: database.url, pids })))
    }
    if (only.has('3')) {
      say('3. webhooks')
      const [instance] = await probe`select id, user_id, name from instances where name = ${names[0]}`
      rows.push(
        ...(await measureWebhooks({
          stack,
          email: account.email,
          instance: { id: instance.id, userId: instance.user_id, name: instance.name },
          ownPhone: phoneOf(0),
          contactPhone: CONTACT,
          sim,
        })),
      )
    }
    if (only.has('6')) {
      say('6. findMessages')
      const [instance] = await probe`insert into instances (user_id, name) values (${account.userId}, 'history-archive') returning id, name`
      const count = Number(process.env.BENCH_MESSAGES ?? 1_000_000)
      rows.push(...(await measureFindMessages({ stack, databaseUrl: database.url, apiKey: account.apiKey, instance: { id: instance.id, userId: account.userId, name: instance.name }, count })))
    }
    if (only.has('7')) {
      say('7. pruning while sending')
      const [archive] = await probe`insert into instances (user_id, name) values (${account.userId}, 'expired-archive') returning id`
      rows.push(
        ...(await measurePruning({
          databaseUrl: database.url,
          baseUrl: stack.baseUrl,
          apiKey: account.apiKey,
          instances: names.slice(0, 2),
          to: CONTACT,
          archive: { id: archive.id, userId: account.userId },
          count: Number(process.env.BENCH_PRUNE_MESSAGES ?? 1_000_000),
          baselineSeconds: Number(process.env.BENCH_PRUNE_BASELINE_S ?? 20),
        })),
      )
    }
    if (only.has('4')) {
      say('4. instances per worker')
      const result = await measureInstances({ stack, api, sim, databaseUrl: database.url, userId: account.userId, steps })
      rows.push(...result.rows)
      if (result.limit) notes.push(`4. largest reached: ${result.reached} instances; ${result.limit}`)
    }
    if (only.has('8')) {
      say('8. takeover after SIGKILL')
      rows.push(...(await measureTakeover({ stack, api, sim, databaseUrl: database.url, userId: account.userId })))
    }
  }
} catch (error) {
  // The sections measured before the failure still print, with the failure below them.
  failure = error
  notes.push(`stopped early: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
} finally {
  if (stack) await stack.stop()
  await sim.stop()
  await probe.end()
  await database.drop().catch((error) => say(`could not drop ${database.name}: ${error}`))
}
if (only.has('5')) {
  say('5. cold start')
  // Fails when `npm start` already runs from this checkout (its start lock); the other figures still print.
  rows.push(...(await measureColdStart().catch((error) => (notes.push(`5. cold start not measured: ${error instanceof Error ? error.message : error}`), []))))
}

const host = machine(postgresVersion)
console.log(`\nMachine: ${Object.entries(host).map(([name, value]) => `${name} ${value}`).join(' · ')}\n`)
console.log(printTable(rows))
for (const note of notes) console.log(`\n${note}`)
process.exit(failure ? 1 : 0)
