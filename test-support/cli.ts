// The `sage` operator CLI, run as an operator would (node bin/sage.mjs) against a stack's database.
import { execFile, spawnSync } from 'node:child_process'
import { projectRoot } from '@/lib/runtime/paths'
import type { ChildEnv } from '@/lib/runtime/processes'

export type CliResult = { status: number | null; stdout: string; stderr: string; lastLine: string }

/** Runs `sage <args>` with `env` (a stack's env, usually); `lastLine` is where a command prints the secret it created. */
export function runCli(env: ChildEnv, ...args: string[]): CliResult {
  const result = spawnSync(process.execPath, ['bin/sage.mjs', ...args], {
    cwd: projectRoot,
    env: env as unknown as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, lastLine: result.stdout.trim().split('\n').at(-1) ?? '' }
}

/** Runs a command that must succeed; fails with its stderr otherwise. Returns its last line of stdout. */
export function runCliOrThrow(env: ChildEnv, ...args: string[]): string {
  const result = runCli(env, ...args)
  if (result.status !== 0) throw new Error(`sage ${args[0]} exited with ${result.status}: ${result.stderr}`)
  return result.lastLine
}

/** A new API key for the account `email` (`sage key:create`, with any of its options). */
export function mintKey(stack: { env: ChildEnv }, email: string, ...options: string[]): string {
  return runCliOrThrow(stack.env, 'key:create', '--email', email, ...options)
}

/**
 * `sage <args>` without blocking this process: for commands that talk to a server the test itself
 * runs (runCli's spawnSync would stop that server from answering).
 */
export function runCliInBackground(env: ChildEnv, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['bin/sage.mjs', ...args], { cwd: projectRoot, env: env as unknown as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error)
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr, lastLine: stdout.trim().split('\n').at(-1) ?? '' })
    })
  })
}
