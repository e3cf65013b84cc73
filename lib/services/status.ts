import 'server-only'
import { config } from '@/lib/config'
import { rateLimitStoreCheck } from '@/lib/ratelimit'
import { liveWorkerCount } from '@/lib/store/workers'
import { readClientVersion, type ClientVersionSource } from '@/lib/store/wa-client-version'

type Check = { status: 'ok' | 'degraded' | 'down'; message?: string; [extra: string]: unknown }

export type SystemStatus = {
  status: 'ok' | 'degraded' | 'down'
  checks: Record<string, Check>
  version: string
  /** The WhatsApp Web version the workers announce at login; null until a worker has started, or while the database is unreachable. */
  whatsappWeb: { version: string; source: ClientVersionSource; fetchedAt: string | null; updatedAt: string } | null
  time: string
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

async function checkDatabaseAndWorkers(): Promise<{ database: Check; workers: Check }> {
  try {
    const alive = await withTimeout(liveWorkerCount(), 2000)
    return {
      database: { status: 'ok' },
      workers: alive > 0 ? { status: 'ok', alive } : { status: 'degraded', alive, message: 'No worker heartbeat in the last 10 s.' },
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : 'unreachable'
    return {
      database: { status: 'down', message: `Database unreachable: ${message}` },
      workers: { status: 'down', message: 'Unknown while the database is unreachable.' },
    }
  }
}

async function whatsappWebVersion(): Promise<SystemStatus['whatsappWeb']> {
  const row = await withTimeout(readClientVersion(), 2000).catch(() => null)
  return row && { version: row.version, source: row.source, fetchedAt: row.fetchedAt?.toISOString() ?? null, updatedAt: row.updatedAt.toISOString() }
}

export async function systemStatus(): Promise<SystemStatus> {
  const [core, rateLimitStore, whatsappWeb] = await Promise.all([checkDatabaseAndWorkers(), rateLimitStoreCheck(), whatsappWebVersion()])
  const checks: Record<string, Check> = { ...core, rateLimitStore }
  const statuses = Object.values(checks).map((check) => check.status)
  const status = core.database.status === 'down' ? 'down' : statuses.every((s) => s === 'ok') ? 'ok' : 'degraded'
  return { status, checks, version: config().version, whatsappWeb, time: new Date().toISOString() }
}
