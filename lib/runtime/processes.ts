import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { projectRoot } from './paths'

export type ChildEnv = Record<string, string | undefined>
// Next's types make NODE_ENV mandatory on ProcessEnv; child environments are plain maps.
const asProcessEnv = (env: ChildEnv) => env as unknown as NodeJS.ProcessEnv

const TSX_LOADER = ['--conditions=react-server', '--import', 'tsx']

/** The worker runs TypeScript through tsx; `react-server` lets it load lib/ modules marked server-only. */
export function spawnWorker(env: ChildEnv, stdio: 'inherit' | 'pipe' = 'inherit'): ChildProcess {
  return spawn(process.execPath, [...TSX_LOADER, path.join(projectRoot, 'workers/main.ts')], {
    cwd: projectRoot,
    env: asProcessEnv({ ...env, SAGE_SERVICE: 'worker' }),
    stdio,
  })
}

/** The production web server (scripts/web-server.mjs: Next.js plus the trusted peer address). */
export function spawnWeb(env: ChildEnv, port: number, stdio: 'inherit' | 'pipe' = 'inherit'): ChildProcess {
  return spawn(process.execPath, [path.join(projectRoot, 'scripts/web-server.mjs')], {
    cwd: projectRoot,
    env: asProcessEnv({ ...env, PORT: String(port), SAGE_SERVICE: 'web', NEXT_TELEMETRY_DISABLED: '1', AUTH_TRUST_HOST: 'true' }),
    stdio,
  })
}

export async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  await exited
  clearTimeout(timer)
}

export async function waitForHttp(url: string, timeoutMs: number, isReady: (response: Response) => boolean = (r) => r.ok): Promise<Response> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url)
      if (isReady(response)) return response
      lastError = new Error(`status ${response.status}`)
    } catch (error) {
      lastError = error
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms: ${String(lastError)}`)
}
