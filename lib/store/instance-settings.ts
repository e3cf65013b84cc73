import 'server-only'
import { DEFAULT_POLICY, policyOf, type SendPolicy } from '@/lib/messages/send-policy'
import { sqlClient } from './sql'

/**
 * The `instance_settings` table: one row per instance at most, created on the first change; an
 * instance without a row has the defaults (DEFAULT_SETTINGS, the same as the columns' defaults).
 * The proxy is kept sealed here and opened by lib/instances/proxy.ts. Reads for customers go
 * through the account's instance name, so another account's instance is simply not found.
 */
export type InstanceSettings = {
  rejectCalls: boolean
  callReplyText: string | null
  ignoreGroups: boolean
  ignoreStatus: boolean
  ignoreChannels: boolean
  alwaysOnline: boolean
  readMessages: boolean
  readStatus: boolean
  syncFullHistory: boolean
  sendPolicy: SendPolicy
}

export type InstanceSettingsRow = InstanceSettings & {
  proxyEnabled: boolean
  proxySealed: Buffer | null
  updatedAt: Date | null
}

export const DEFAULT_SETTINGS: InstanceSettings = {
  rejectCalls: false,
  callReplyText: null,
  ignoreGroups: false,
  ignoreStatus: true,
  ignoreChannels: false,
  alwaysOnline: false,
  readMessages: false,
  readStatus: false,
  syncFullHistory: false,
  sendPolicy: DEFAULT_POLICY,
}

const COLUMN: Record<keyof InstanceSettings, string> = {
  rejectCalls: 'reject_calls',
  callReplyText: 'call_reply_text',
  ignoreGroups: 'ignore_groups',
  ignoreStatus: 'ignore_status',
  ignoreChannels: 'ignore_channels',
  alwaysOnline: 'always_online',
  readMessages: 'read_messages',
  readStatus: 'read_status',
  syncFullHistory: 'sync_full_history',
  sendPolicy: 'send_policy',
}

function toRow(row: Record<string, unknown> | undefined): InstanceSettingsRow {
  if (!row) return { ...DEFAULT_SETTINGS, proxyEnabled: false, proxySealed: null, updatedAt: null }
  const settings = Object.fromEntries(Object.entries(COLUMN).map(([key, column]) => [key, row[column] ?? null])) as InstanceSettings
  return {
    ...settings,
    sendPolicy: policyOf(row.send_policy),
    proxyEnabled: Boolean(row.proxy_enabled),
    proxySealed: (row.proxy_sealed as Buffer | null) ?? null,
    updatedAt: row.updated_at ? new Date(row.updated_at as string) : null,
  }
}

/** The instance's settings (the defaults when it has no row yet). */
export async function readInstanceSettings(instanceId: string): Promise<InstanceSettingsRow> {
  const [row] = await sqlClient()`select * from instance_settings where instance_id = ${instanceId}`
  return toRow(row)
}

/** Changes the given settings (the others keep their values) and returns the row. */
export async function updateInstanceSettings(instanceId: string, change: Partial<InstanceSettings>): Promise<InstanceSettingsRow> {
  const sql = sqlClient()
  const columns = Object.fromEntries(
    Object.entries(change)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [COLUMN[key as keyof InstanceSettings], key === 'sendPolicy' ? sql.json(value as never) : value]),
  )
  const [row] = Object.keys(columns).length
    ? await sql`
        insert into instance_settings ${sql({ instance_id: instanceId, ...columns })}
        on conflict (instance_id) do update set ${sql(columns)}, updated_at = now()
        returning *`
    : await sql`select * from instance_settings where instance_id = ${instanceId}`
  return toRow(row)
}

/** Sets (sealed) or clears the proxy. */
export async function updateInstanceProxy(instanceId: string, proxy: { enabled: boolean; sealed: Buffer | null }): Promise<InstanceSettingsRow> {
  const [row] = await sqlClient()`
    insert into instance_settings (instance_id, proxy_enabled, proxy_sealed) values (${instanceId}, ${proxy.enabled}, ${proxy.sealed})
    on conflict (instance_id) do update set proxy_enabled = excluded.proxy_enabled, proxy_sealed = excluded.proxy_sealed, updated_at = now()
    returning *`
  return toRow(row)
}
