// postgres.js 3.4.9 crashes the process when a connection is cut at the wrong moment; patches/
// fixes it (applied by `npm install` through patch-package). Each scenario runs in its own process
// using the app's clients, and a backend is terminated at exactly the moment the bug needs.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '@/e2e/support/database'
import { projectRoot } from '@/lib/runtime/paths'

const database = await useTestDatabase()

async function runProbe(scenario: 'transaction' | 'startup') {
  const child = spawn(
    process.execPath,
    ['--conditions=react-server', '--import', 'tsx', path.join(projectRoot, 'e2e/support/connection-loss-probe.ts'), scenario],
    { cwd: projectRoot, env: { ...process.env, DATABASE_URL: database.url, SAGE_SERVICE: 'probe' }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  expect(code, `the probe died:\n${stderr.slice(-3000)}`).toBe(0)
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, string | number>
}

describe('a connection terminated under postgres.js', () => {
  it('mid-transaction: the transaction fails with a connection error, the process lives, the next query works', async () => {
    const results = await runProbe('transaction')
    expect(results.transaction).toMatch(/^rejected (CONNECTION_CLOSED|57P01)$/)
    expect(results.nextQuery).toBe('ok')
    // A pool with a connection lost this way still closes at once (no wait for end()'s timeout).
    expect(results.closeMs).toBeLessThan(2_000)
  })

  it('while a new connection fetches its types: no unhandled rejection, and the waiting query runs on a fresh connection', async () => {
    const results = await runProbe('startup')
    expect(results.query).toBe('ok')
    expect(results.nextQuery).toBe('ok')
    expect(results.closeMs).toBeLessThan(2_000)
  })
})
