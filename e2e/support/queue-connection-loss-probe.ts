// A process running the worker's webhook queue (workers/webhooks/queue-runner.ts) whose database
// goes away exactly while a job is running, so graphile-worker cannot write the job's outcome back,
// for workers/webhooks/queue-connection-loss.test.ts. It installs no error handlers of its own: an
// unhandled rejection kills it, and the test sees the exit. Prints one JSON line.
import postgres from 'postgres'
import { startDatabaseProxy } from '@/test-support/database-proxy'
import { log } from '@/lib/log'
import { Logger as JobLogger } from 'graphile-worker'

const outcome = process.argv[2] as 'fail' | 'complete'
const directUrl = process.env.DATABASE_URL!
const proxy = await startDatabaseProxy(directUrl)
process.env.DATABASE_URL = proxy.url // read by lib/config when the runner starts, below
const { startQueueRunner } = await import('@/workers/webhooks/queue-runner')

const direct = postgres(directUrl, { max: 1, onnotice: () => {} })
const ran: string[] = []
let secondRan: () => void = () => {}
const second = new Promise<void>((resolve) => (secondRan = resolve))
let releaseErrors = 0
const probeLog = log.child({ component: 'probe' })

const runner = await startQueueRunner({
  concurrency: 1,
  pollInterval: 100,
  log: probeLog,
  logger: new JobLogger(() => (level, message) => {
    if (/Failed to (fail|complete) job/.test(message)) releaseErrors++
  }),
  taskList: {
    probe: async (payload) => {
      const { n } = payload as { n: number }
      ran.push(String(n))
      if (n === 2) return secondRan()
      // The database goes away under the running job; it comes back a second later.
      proxy.down()
      setTimeout(() => proxy.up(), 1_000)
      if (outcome === 'fail') throw new Error('the task failed')
    },
  },
})

await direct`select graphile_worker.add_job('probe', json_build_object('n', 1), max_attempts => 1)`
while (!ran.includes('1')) await new Promise((resolve) => setTimeout(resolve, 20))
// Long enough for graphile-worker's write-back to have failed (and, unpatched, to have killed us).
while (!releaseErrors) await new Promise((resolve) => setTimeout(resolve, 20))
await new Promise((resolve) => setTimeout(resolve, 200))
await direct`select graphile_worker.add_job('probe', json_build_object('n', 2))`
await second

await runner.stop()
await direct.end()
await proxy.close()
process.stdout.write(`${JSON.stringify({ ran, releaseErrors })}\n`, () => process.exit(0))
