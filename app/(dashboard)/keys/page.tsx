import type { Metadata } from 'next'
import { config } from '@/lib/config'
import { requireUser } from '@/lib/auth/session'
import type { ApiKeySummary } from '@/lib/api/schemas/keys'
import { listApiKeys } from '@/lib/services/keys/keys'
import { listInstances } from '@/lib/services/instances/instances'
import { KeysView, type KeyRow } from './keys-view'

export const metadata: Metadata = { title: 'API keys' }
export const dynamic = 'force-dynamic'

const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' })
const dateTimeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

/** "Just now", "5 minutes ago", "yesterday"; a date past a week. */
function ago(iso: string, now: number): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  if (seconds > -60) return 'Just now'
  const minutes = Math.round(seconds / 60)
  if (minutes > -60) return relative.format(minutes, 'minute')
  const hours = Math.round(minutes / 60)
  if (hours > -24) return relative.format(hours, 'hour')
  const days = Math.round(hours / 24)
  if (days > -7) return relative.format(days, 'day')
  return dateFormat.format(new Date(iso))
}

function toRow(key: ApiKeySummary, now: number): KeyRow {
  return {
    ...key,
    created: dateFormat.format(new Date(key.createdAt)),
    lastUsed: key.lastUsedAt ? ago(key.lastUsedAt, now) : 'Never',
    lastUsedTitle: key.lastUsedAt ? `${dateTimeFormat.format(new Date(key.lastUsedAt))} UTC` : undefined,
    revoked: key.revokedAt ? dateFormat.format(new Date(key.revokedAt)) : undefined,
  }
}

export default async function KeysPage() {
  const user = await requireUser('/keys')
  const [keys, instances] = await Promise.all([listApiKeys(user, { includeRevoked: true }), listInstances({ ctx: user })])
  const now = Date.now()
  const rows = keys.map((key) => toRow(key, now))
  return (
    <KeysView
      keys={rows.filter((key) => !key.revokedAt)}
      revokedKeys={rows.filter((key) => key.revokedAt)}
      instances={instances.map(({ name, state }) => ({ name, state }))}
      verified={user.emailVerified}
      apiBase={config().APP_URL.replace(/\/$/, '')}
    />
  )
}
