import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { projectRoot } from './paths'

// simulator/client.ts: the demo's virtual phone (lib/demo) bundles the simulator's HTTP client.
const SOURCES = ['app', 'components', 'lib', 'public', 'simulator/client.ts', 'next.config.ts', 'package-lock.json', 'postcss.config.mjs']

function newestMtime(entry: string): number {
  if (!fs.existsSync(entry)) return 0
  const stat = fs.statSync(entry)
  if (!stat.isDirectory()) return stat.mtimeMs
  return fs
    .readdirSync(entry)
    .reduce((newest, child) => Math.max(newest, newestMtime(path.join(entry, child))), stat.mtimeMs)
}

/** True when there is no production build, or a source file changed after it was made. */
export function buildIsStale(): boolean {
  const buildId = path.join(projectRoot, process.env.NEXT_DIST_DIR ?? '.next', 'BUILD_ID')
  if (!fs.existsSync(buildId)) return true
  const builtAt = fs.statSync(buildId).mtimeMs
  return SOURCES.some((source) => newestMtime(path.join(projectRoot, source)) > builtAt)
}

export function buildWebIfNeeded(log: (line: string) => void): void {
  if (!buildIsStale()) return
  log('Building the web app (next build)…')
  const result = spawnSync(process.execPath, [path.join(projectRoot, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: projectRoot,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  })
  if (result.status !== 0) throw new Error('next build failed')
}
