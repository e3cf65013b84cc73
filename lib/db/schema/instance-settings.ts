import { pgTable, uuid, boolean, text, timestamp, customType, jsonb } from 'drizzle-orm/pg-core'
import { instances } from './instances'

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })

/**
 * Per-instance behaviour switches and the proxy. A missing row means the defaults below; the
 * worker reads the row when a socket starts and again when told the settings changed.
 */
export const instanceSettings = pgTable('instance_settings', {
  instanceId: uuid('instance_id')
    .primaryKey()
    .references(() => instances.id, { onDelete: 'cascade' }),
  rejectCalls: boolean('reject_calls').notNull().default(false),
  /** Sent to a caller whose call was rejected; null sends nothing. */
  callReplyText: text('call_reply_text'),
  ignoreGroups: boolean('ignore_groups').notNull().default(false),
  /** Status broadcasts were never stored before this setting existed, hence the default. */
  ignoreStatus: boolean('ignore_status').notNull().default(true),
  ignoreChannels: boolean('ignore_channels').notNull().default(false),
  alwaysOnline: boolean('always_online').notNull().default(false),
  readMessages: boolean('read_messages').notNull().default(false),
  readStatus: boolean('read_status').notNull().default(false),
  syncFullHistory: boolean('sync_full_history').notNull().default(false),
  /** How fast and when the instance may send (lib/messages/send-policy.ts); null: the defaults. */
  sendPolicy: jsonb('send_policy'),
  proxyEnabled: boolean('proxy_enabled').notNull().default(false),
  /** {protocol, host, port, username, password} as JSON, AES-256-GCM sealed (lib/instances/proxy.ts). */
  proxySealed: bytea('proxy_sealed'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
