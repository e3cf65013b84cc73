// The end-of-life warning: the table's rules, and `npm start` itself under every Node.js found here
// (the one running the tests, every `node` on PATH, and the releases .ci/use-node cached): one
// warning line on an end-of-life release, nothing on a supported one.
import fs from 'node:fs'
import path from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { endOfLifeWarning, NODE_END_OF_LIFE } from './node-support'
import { projectRoot } from './paths'

describe('endOfLifeWarning', () => {
  const on = (day: string) => new Date(`${day}T12:00:00Z`)

  it('warns on a release line past its end-of-life date, naming the version, the date and what to run instead', () => {
    expect(endOfLifeWarning('20.20.2', on('2026-11-30'))).toBe(
      '[sage] Warning: Node.js 20.20.2 reached end of life on 2026-04-30 and gets no more security fixes. Run SAGE-API on Node.js 24 LTS.',
    )
    expect(endOfLifeWarning('18.20.8', on('2026-11-30'))).toMatch(/^\[sage\] Warning: Node\.js 18\.20\.8 reached end of life on 2025-04-30 /)
    expect(endOfLifeWarning('25.1.0', on('2026-11-30'))).toMatch(/reached end of life on 2026-06-01/)
  })

  it('is silent on a supported line, until its end-of-life day comes', () => {
    expect(endOfLifeWarning('24.22.3', on('2026-11-30'))).toBeNull()
    expect(endOfLifeWarning('22.23.5', on('2026-11-30'))).toBeNull()
    expect(endOfLifeWarning('20.20.2', on('2026-04-29'))).toBeNull()
    expect(endOfLifeWarning('20.20.2', on('2026-04-30'))).not.toBeNull()
    expect(endOfLifeWarning('24.22.3', on('2028-04-30'))).toMatch(/Node\.js 24\.22\.3 reached end of life on 2028-04-30/)
  })

  it('treats a line older than the table as end of life, and one newer than the table as supported', () => {
    const oldest = Math.min(...Object.keys(NODE_END_OF_LIFE).map(Number))
    const newest = Math.max(...Object.keys(NODE_END_OF_LIFE).map(Number))
    expect(endOfLifeWarning(`${oldest - 2}.0.0`, on('2026-11-30'))).toBe(
      `[sage] Warning: Node.js ${oldest - 2}.0.0 reached end of life and gets no more security fixes. Run SAGE-API on Node.js 24 LTS.`,
    )
    expect(endOfLifeWarning(`${newest + 1}.0.0`, on('2026-11-30'))).toBeNull()
  })
})

/** Distinct Node.js binaries on this machine, with their versions. */
function nodeBinaries(): { binary: string; version: string }[] {
  const cached = path.join(projectRoot, '.ci/node')
  const candidates = [
    process.execPath,
    ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'node')),
    ...(fs.existsSync(cached) ? fs.readdirSync(cached).map((version) => path.join(cached, version, 'bin/node')) : []),
  ]
  const seen = new Map<string, string>()
  for (const candidate of candidates) {
    if (!fs.existsSync(candidate)) continue
    const real = fs.realpathSync(candidate)
    if (!seen.has(real)) seen.set(real, candidate)
  }
  return [...seen.values()].map((binary) => ({ binary, version: spawnSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim() }))
}

/** `npm start`'s command line (package.json), run by `binary` instead of the `node` on PATH. */
function runNpmStart(binary: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }
  const [command, ...args] = pkg.scripts.start.split(' ')
  expect(command).toBe('node')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Nothing listens on port 1: the launcher gets through its start-up, re-runs itself detached,
    // and the detached copy stops at the first database query, so the run takes a few seconds.
    DATABASE_URL: 'postgres://sage@127.0.0.1:1/none',
    AUTH_SECRET: 'node-support-test',
    SAGE_ENCRYPTION_KEY: '0'.repeat(64),
  }
  delete env.SAGE_LAUNCHER_DETACHED
  const child = spawn(binary, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

describe.each(nodeBinaries())('npm start on Node.js $version ($binary)', ({ binary, version }) => {
  const warning = endOfLifeWarning(version, new Date())

  it(warning ? 'prints the end-of-life warning once' : 'prints no warning', async () => {
    const run = await runNpmStart(binary)
    expect(run.stdout, run.stderr).toContain('[sage] Using the Postgres in DATABASE_URL.') // the detached copy ran too
    expect(run.stderr).toMatch(/ECONNREFUSED/)
    expect(run.code).toBe(1)
    const output = `${run.stdout}\n${run.stderr}`.split('\n')
    expect(output.filter((line) => line.includes('end of life'))).toEqual(warning ? [warning] : [])
    // Nor any warning from Node.js itself (deprecations, experimental features) on the way.
    expect(output.filter((line) => /^\(node:\d+\)/.test(line))).toEqual([])
  }, 60_000) // two Node start-ups with tsx: seconds, but a loaded machine stretches them
})

it('runs npm start on the Node.js running the tests, at least', () => {
  expect(nodeBinaries().map(({ binary }) => fs.realpathSync(binary))).toContain(fs.realpathSync(process.execPath))
})
