// Small helpers for figures: percentiles, formatting, the machine.
import os from 'node:os'
import fs from 'node:fs'

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

export const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : 'n/a')
export const perSecond = (value: number) => (Number.isFinite(value) ? `${Math.round(value).toLocaleString('en-US')}/s` : 'n/a')
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

export function latencySummary(values: number[]): string {
  return `p50 ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}`
}

/** VmRSS of a process, in bytes (Linux). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /VmRSS:\s+(\d+) kB/.exec(status)
  return match ? Number(match[1]) * 1024 : NaN
}

export function machine(postgresVersion: string): Record<string, string> {
  const cpus = os.cpus()
  return {
    CPU: cpus[0]?.model.trim() ?? 'unknown',
    cores: String(cpus.length),
    RAM: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB`,
    Node: process.version,
    Postgres: postgresVersion,
    OS: `${os.type()} ${os.release()}`,
  }
}

export type Row = { figure: string; value: string; floor: string; ratio?: string }

export function printTable(rows: Row[]): string {
  const header: Row = { figure: 'figure', value: 'measured', floor: 'floor / peer (same run)', ratio: 'ratio' }
  const all = [header, ...rows]
  const width = (key: keyof Row) => Math.max(...all.map((row) => (row[key] ?? '').length))
  const line = (row: Row) => `| ${(['figure', 'value', 'floor', 'ratio'] as const).map((key) => (row[key] ?? '').padEnd(width(key))).join(' | ')} |`
  const rule = `|${(['figure', 'value', 'floor', 'ratio'] as const).map((key) => '-'.repeat(width(key) + 2)).join('|')}|`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/** CPU time (user + system, in seconds) of each named process, and of all `postgres` processes together. */
function cpuSeconds(pids: Record<string, number>): Record<string, number> {
  const ticks = 100 // USER_HZ on Linux
  const of = (pid: number | string) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), seconds: (Number(fields[11]) + Number(fields[12])) / ticks }
    } catch {
      return { comm: '', seconds: 0 }
    }
  }
  const result: Record<string, number> = {}
  for (const [name, pid] of Object.entries(pids)) result[name] = of(pid).seconds
  result.postgres = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(of)
    .filter((process) => process.comm === 'postgres')
    .reduce((sum, process) => sum + process.seconds, 0)
  return result
}

/** Runs `work` and measures the CPU seconds each process (and the bench itself) used meanwhile, over `elapsed` seconds of wall time. */
export async function cpuUsedDuring<T>(pids: Record<string, number>, work: () => Promise<T>): Promise<{ result: T; used: Record<string, number>; elapsed: number }> {
  const before = cpuSeconds({ ...pids, bench: process.pid })
  const startedAt = performance.now()
  const result = await work()
  const elapsed = (performance.now() - startedAt) / 1000
  const after = cpuSeconds({ ...pids, bench: process.pid })
  return { result, used: Object.fromEntries(Object.keys(after).map((name) => [name, after[name] - before[name]])), elapsed }
}

/** "web 105%, worker 2%, …": CPU seconds used over `elapsed` seconds, in % of one core (2 cores = 200%). */
export function formatCpuShare(used: Record<string, number>, elapsed: number): string {
  return Object.entries(used)
    .map(([name, seconds]) => `${name} ${Math.round((seconds / elapsed) * 100)}%`)
    .join(', ')
}

/** Runs `work` and says how busy each process was meanwhile, in % of one core (2 cores = 200%). */
export async function withCpuShare<T>(pids: Record<string, number>, work: () => Promise<T>): Promise<{ result: T; share: string }> {
  const { result, used, elapsed } = await cpuUsedDuring(pids, work)
  return { result, share: formatCpuShare(used, elapsed) }
}
