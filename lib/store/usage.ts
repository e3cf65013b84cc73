import 'server-only'
import type { USAGE_METRICS, USAGE_SUBJECTS } from '@/lib/db/schema/usage'
import { sqlClient } from './sql'

/**
 * The `usage_hourly` table: API calls counted per hour, per key and per instance. Rows only grow:
 * each web process adds its batch of counts (`lib/usage/counter.ts`) with one upsert, so concurrent
 * processes add up rather than overwrite. Reads name the account in their own `where`.
 */
export type UsageSubject = (typeof USAGE_SUBJECTS)[number]
export type UsageMetric = (typeof USAGE_METRICS)[number]
export type UsageCount = { userId: string; subjectKind: UsageSubject; subjectId: string; hour: Date; metric: UsageMetric; count: number }

/** Adds a batch of counts (one statement, whatever its size); counts of an account deleted meanwhile are dropped. */
export async function addUsageCounts(batch: UsageCount[]): Promise<void> {
  if (batch.length === 0) return
  await sqlClient()`
    insert into usage_hourly (user_id, subject_kind, subject_id, hour, metric, count)
    select * from unnest(
      ${batch.map((row) => row.userId)}::uuid[],
      ${batch.map((row) => row.subjectKind)}::text[],
      ${batch.map((row) => row.subjectId)}::uuid[],
      ${batch.map((row) => row.hour.toISOString())}::timestamptz[],
      ${batch.map((row) => row.metric)}::text[],
      ${batch.map((row) => row.count)}::int[]) as counted(user_id, subject_kind, subject_id, hour, metric, count)
    -- An account deleted since the calls were counted: its counts go with it instead of failing the whole batch.
    where exists (select 1 from users where users.id = counted.user_id)
    on conflict (subject_id, hour, metric) do update set count = usage_hourly.count + excluded.count`
}

/** One subject's counts since `since`, by hour and metric (hours without calls are absent). */
export async function usageOf(userId: string, subject: { kind: UsageSubject; id: string }, since: Date): Promise<{ hour: Date; metric: UsageMetric; count: number }[]> {
  const rows = await sqlClient()`
    select hour, metric, count from usage_hourly
    where user_id = ${userId} and subject_kind = ${subject.kind} and subject_id = ${subject.id} and hour >= ${since}
    order by hour`
  return rows.map((row) => ({ hour: new Date(row.hour), metric: row.metric as UsageMetric, count: Number(row.count) }))
}

/** The account's counts since `since`, summed over its keys (every call is made with exactly one key). */
export async function accountUsage(userId: string, since: Date): Promise<{ hour: Date; metric: UsageMetric; count: number }[]> {
  const rows = await sqlClient()`
    select hour, metric, sum(count)::int as count from usage_hourly
    where user_id = ${userId} and subject_kind = 'key' and hour >= ${since}
    group by hour, metric order by hour`
  return rows.map((row) => ({ hour: new Date(row.hour), metric: row.metric as UsageMetric, count: Number(row.count) }))
}
