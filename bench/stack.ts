// What the benchmarks add to test-support/: production's log level with logs in files, an account
// whose key the limiter never refuses, and a little concurrency helper.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { freePort } from '@/lib/runtime/embedded-postgres'
import { projectRoot } from '@/lib/runtime/paths'
import { spawnWeb, stopChild, waitForHttp, type ChildEnv } from '@/lib/runtime/processes'
import { createVerifiedAccount } from '@/test-support/accounts'
import { mintKey } from '@/test-support/cli'
import { startStack, type Stack } from '@/test-support/stack'

export const say = (line: string) => console.error(`[bench] ${line}`)

/** Web and one worker, at the log level a production run uses (info) unless BENCH_LOG_LEVEL says otherwise. */
export async function startBenchStack(databaseUrl: string, env: ChildEnv): Promise<Stack> {
  // Logs go to files: the figures are what this prints.
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sage-bench-logs-'))
  // Where the worker's memory probe (bench/memory-probe.mjs) answers section 4.
  const memoryDir = (process.env.BENCH_MEMORY_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sage-bench-memory-')))
  say(`process logs in ${logDir}`)
  // BENCH_CPU_PROF=<dir>: web and worker write V8 CPU profiles there when they stop.
  const profile: ChildEnv = process.env.BENCH_CPU_PROF
    ? { NODE_OPTIONS: `--import ${path.join(projectRoot, 'bench/cpu-profile.mjs')}`, BENCH_CPU_PROF: path.resolve(process.env.BENCH_CPU_PROF) }
    : {}
  // BENCH_HEAP_SNAPSHOT=<dir>: SIGUSR2 makes a process write a heap snapshot there (section 4 sends it at each step).
  const heap = process.env.BENCH_HEAP_SNAPSHOT ? `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${path.resolve(process.env.BENCH_HEAP_SNAPSHOT)}` : ''
  // Section 4 reads the worker's heap through this probe (bench/memory-probe.mjs).
  const memory = `--import ${path.join(projectRoot, 'bench/memory-probe.mjs')}`
  return startStack({
    databaseUrl,
    // Section 4 fills one worker with 1,000 instances, past the default WORKER_CAPACITY (500).
    env: { SAGE_BENCH: '1', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', WORKER_CAPACITY: '1000', ...env },
    processEnv: { ...profile, NODE_OPTIONS: [profile.NODE_OPTIONS, heap, memory].filter(Boolean).join(' '), BENCH_MEMORY_DIR: memoryDir },
    logDir,
    readyTimeoutMs: 90_000,
    stopTimeoutMs: 20_000,
  })
}

/** One more web process on the stack's database, with `env` on top of the stack's (to compare a setting in the same run). */
export async function startExtraWeb(stack: Stack, env: ChildEnv): Promise<{ baseUrl: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort()
  const web = spawnWeb({ ...stack.env, ...env }, port, 'pipe')
  const log = fs.createWriteStream(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sage-bench-web-')), 'web.log'))
  web.stdout?.pipe(log)
  web.stderr?.pipe(log)
  const baseUrl = `http://127.0.0.1:${port}`
  try {
    await waitForHttp(`${baseUrl}/api/v1/status`, 90_000)
  } catch (error) {
    await stopChild(web)
    throw error
  }
  return { baseUrl, pid: web.pid!, stop: () => stopChild(web, 20_000) }
}

/** A verified account with a key: minted by the real CLI, then its limit raised past the CLI's cap, so the limiter still runs its one statement per request but never refuses. */
export async function createAccountWithKey(stack: Stack, databaseUrl: string): Promise<{ userId: string; email: string; apiKey: string }> {
  const { userId, email } = await createVerifiedAccount(databaseUrl, { emailPrefix: 'bench' })
  const apiKey = mintKey(stack, email, '--rate-limit', '10000')
  // The product caps keys at 10,000/min (a check constraint); this throwaway database lifts the cap.
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  try {
    await sql`alter table api_keys drop constraint if exists api_keys_rate_limit_range`
    await sql`update api_keys set rate_limit = 100000000 where user_id = ${userId}`
  } finally {
    await sql.end()
  }
  return { userId, email, apiKey }
}

/** Runs `task` over `items` with at most `parallel` at a time. */
export async function inParallel<T>(items: T[], parallel: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const index = next++
        await task(items[index], index)
      }
    }),
  )
}
