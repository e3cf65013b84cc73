// `npm start` keeps its worker running: a worker killed with SIGKILL is started again by the
// launcher, and the instance it held opens again on the new worker (stored credentials, no QR).
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { startTestSimulator } from './support/simulator'
import { eventually } from '@/test-support/eventually'
import { testEnvironment } from '@/test-support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { freePort } from '@/lib/runtime/embedded-postgres'
import { projectRoot } from '@/lib/runtime/paths'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const sql = postgres(database.url, { max: 1, onnotice: () => {} })
const port = await freePort()
const baseUrl = `http://127.0.0.1:${port}`
// Its own data dir, so its start lock is not the one of a developer's `npm start` (or another test's).
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage-start-'))
const env = testEnvironment(database.url, { ...sim.env, PORT: String(port), APP_URL: baseUrl, SAGE_DATA_DIR: dataDir })
delete env.SAGE_LAUNCHER_DETACHED

/** `npm start`'s own command line (package.json), as a user runs it. */
function npmStart(): { child: ChildProcess; output: () => string } {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }
  const [, ...args] = pkg.scripts.start.split(' ')
  const child = spawn(process.execPath, args, { cwd: projectRoot, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  return { child, output: () => output }
}

const started = npmStart()
afterAll(async () => {
  if (started.child.exitCode === null) {
    const exited = new Promise((resolve) => started.child.once('exit', resolve))
    started.child.kill('SIGTERM')
    await exited
  }
  await sql.end()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** The live worker's id, which carries its pid (`{host}-{pid}-{random}`). */
async function liveWorker(exceptId?: string): Promise<{ id: string; pid: number } | undefined> {
  const rows = await sql`select id from workers where stopped_at is null and heartbeat_at > now() - interval '5 seconds' and id <> ${exceptId ?? ''}`
  if (rows.length !== 1) return undefined
  return { id: rows[0].id, pid: Number(/-(\d+)-[0-9a-f]+$/.exec(rows[0].id)![1]) }
}

describe('npm start', () => {
  it('starts its worker again after a SIGKILL, and the instance opens again on it', async () => {
    await eventually(async () => (started.output().includes('SAGE-API is running at') ? true : undefined), 120_000, 200).catch((error) => {
      throw new Error(`${(error as Error).message}\n${started.output().slice(-3000)}`)
    })
    const account = await createVerifiedAccount(database.url, { instances: ['supervised'] })
    const api = dataPlane({ baseUrl }, mintKey({ env }, account.email))
    // The web process can be up before the worker's first heartbeat; connecting before it answers 503.
    const first = await eventually(() => liveWorker(), 60_000, 200)
    await pairInstance(api, sim, 'supervised', '15552220000')

    process.kill(first.pid, 'SIGKILL')
    const second = await eventually(() => liveWorker(first.id), 60_000, 200)
    expect(second.pid).not.toBe(first.pid)
    expect(started.output()).toMatch(/The worker exited \(SIGKILL\); starting it again/)
    // The killed worker's lease runs out and the new one takes the instance over and reconnects.
    await eventually(async () => {
      const [row] = await sql`select state, worker_id from instances where name = 'supervised'`
      return row.state === 'open' && row.worker_id === second.id ? true : undefined
    }, 60_000, 200)
    await eventually(async () => ((await api('supervised/connectionState')).body.instance?.state === 'open' ? true : undefined), 15_000, 200)
    expect(started.child.exitCode).toBeNull()
  }, 240_000)
})
