import type { Metadata } from 'next'
import { requireUser } from '@/lib/auth/session'
import { DEFAULT_WEBHOOK_EVENTS, WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENTS, type WebhookDelivery } from '@/lib/api/schemas/webhooks'
import { listInstances } from '@/lib/services/instances/instances'
import { listWebhookEndpoints } from '@/lib/services/webhooks/endpoints'
import { listDeliveries } from '@/lib/services/webhooks/deliveries'
import { WebhooksView, type DeliveryRow, type EndpointRow } from './webhooks-view'

export const metadata: Metadata = { title: 'Webhooks' }
export const dynamic = 'force-dynamic'

const LOG_SIZE = 15
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' })
const time = new Intl.DateTimeFormat('en', { timeStyle: 'medium', timeZone: 'UTC' })

function when(iso: string | null): string | null {
  return iso ? `${dateTime.format(new Date(iso))} UTC` : null
}

function toDeliveryRow(delivery: WebhookDelivery): DeliveryRow {
  return {
    ...delivery,
    created: `${time.format(new Date(delivery.createdAt))} UTC`,
    createdTitle: when(delivery.createdAt)!,
    nextAttempt: when(delivery.nextAttemptAt),
    lastAttemptWhen: when(delivery.lastAttempt?.attemptedAt ?? null),
  }
}

export default async function WebhooksPage() {
  const user = await requireUser('/webhooks')
  const ctx = { userId: user.userId }
  const [endpoints, instances] = await Promise.all([listWebhookEndpoints({ ctx }), listInstances({ ctx: user })])
  const rows: EndpointRow[] = await Promise.all(
    endpoints.map(async (endpoint) => {
      const { deliveries } = await listDeliveries({ ctx, endpointId: endpoint.id, query: { limit: LOG_SIZE } })
      return {
        ...endpoint,
        created: when(endpoint.createdAt)!,
        failing: when(endpoint.failingSince),
        previousSecretUntil: when(endpoint.previousSecretExpiresAt),
        deliveries: deliveries.map(toDeliveryRow),
      }
    }),
  )
  return (
    <WebhooksView
      endpoints={rows}
      instances={instances.map((instance) => instance.name)}
      events={WEBHOOK_EVENTS.map((name) => ({ name, description: WEBHOOK_EVENT_DESCRIPTIONS[name] }))}
      defaultEvents={DEFAULT_WEBHOOK_EVENTS}
      verified={user.emailVerified}
    />
  )
}
