// graphile-worker 0.17.3 does not await the write of a job's outcome; when the database is gone at
// that moment the rejection was unhandled and killed the worker (patches/graphile-worker+0.17.3.patch).
import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { projectRoot } from '@/lib/runtime/paths'

const database = await useTestDatabase()

async function runProbe(outcome: 'fail' | 'complete') {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', path.join(projectRoot, 'e2e/support/queue-connection-loss-probe.ts'), outcome],
    { cwd: projectRoot, env: { ...process.env, DATABASE_URL: database.url, SAGE_SERVICE: 'probe', LOG_LEVEL: 'fatal' }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  expect(code, `the probe died:\n${stderr.slice(-3000)}`).toBe(0)
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { ran: string[]; releaseErrors: number }
}

describe('the webhook queue when the database goes away under a running job', () => {
  it.each(['fail', 'complete'] as const)('a job that ends in %s: the write-back error is logged, the process lives, the next job runs', async (outcome) => {
    const result = await runProbe(outcome)
    expect(result.releaseErrors).toBeGreaterThan(0)
    expect(result.ran).toEqual(['1', '2'])
  }, 60_000)
})
