// 5. Cold start: `npm start` to the first {"status":"ok"}, with an existing data dir (Postgres initialised, build present).
import fs from 'node:fs'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { EMBEDDED_DATABASE_DIR } from '@/lib/runtime/environment'
import { projectRoot } from '@/lib/runtime/paths'
import { freePort } from '@/lib/runtime/embedded-postgres'
import { stopChild } from '@/lib/runtime/processes'
import { say } from './stack'
import { ms, percentile, type Row } from './stats'

async function startOnce(): Promise<{ webUpMs: number; okMs: number }> {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' }
  delete env.DATABASE_URL // the embedded default, as a user's `npm start`
  delete env.SAGE_LAUNCHER_DETACHED
  const startedAt = performance.now()
  const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(projectRoot, 'scripts/start.ts')], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const output: string[] = []
  child.stdout!.on('data', (chunk) => output.push(String(chunk)))
  child.stderr!.on('data', (chunk) => output.push(String(chunk)))
  let webUpMs = NaN
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}): ${output.join('').slice(-2000)}`)
      if (performance.now() - startedAt > 120_000) throw new Error(`npm start not ok within 120 s: ${output.join('').slice(-2000)}`)
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/status`)
        const body = (await response.json()) as { status?: string }
        if (Number.isNaN(webUpMs)) webUpMs = performance.now() - startedAt
        if (body.status === 'ok') return { webUpMs, okMs: performance.now() - startedAt }
      } catch {}
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  } finally {
    await stopChild(child, 30_000)
  }
}

export async function measureColdStart(runs = 3): Promise<Row[]> {
  if (!fs.existsSync(path.join(EMBEDDED_DATABASE_DIR, 'PG_VERSION'))) {
    say('first `npm start` initialises .data/pg (not measured)')
    await startOnce()
  }
  const samples: { webUpMs: number; okMs: number }[] = []
  for (let i = 0; i < runs; i++) samples.push(await startOnce())
  const ok = samples.map((sample) => sample.okMs)
  const web = samples.map((sample) => sample.webUpMs)
  return [
    {
      figure: `5. npm start → status ok (existing data dir, median of ${runs})`,
      value: ms(percentile(ok, 50)),
      floor: `first /status answer ${ms(percentile(web, 50))}; embedded Postgres alone ≈ 40 ms`,
      ratio: `runs: ${ok.map((value) => Math.round(value)).join(', ')} ms`,
    },
  ]
}
