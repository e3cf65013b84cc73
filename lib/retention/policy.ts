// What an account keeps and for how long: the defaults and the bounds a customer may choose within
// (the dashboard's settings page; checked again by the account_retention table's constraints).
import { z } from 'zod'
import { EVENT_RETENTION_DAYS } from '@/lib/events/retention'

export type RetentionKind = 'messagesDays' | 'mediaDays' | 'eventsDays' | 'webhookDeliveriesDays'
export type Retention = Record<RetentionKind, number>

type Bound = { label: string; min: number; max: number; default: number; explain: string }

export const RETENTION_BOUNDS: Record<RetentionKind, Bound> = {
  messagesDays: { label: 'Messages', min: 1, max: 3650, default: 90, explain: 'Sent and received messages (with their media).' },
  mediaDays: { label: 'Media files', min: 1, max: 3650, default: 90, explain: 'The bytes of images, audio, video and documents; the message itself stays.' },
  eventsDays: { label: 'Events', min: 1, max: 30, default: EVENT_RETENTION_DAYS, explain: 'The event log (/api/v1/events); their webhook deliveries go with them.' },
  webhookDeliveriesDays: { label: 'Webhook deliveries', min: 1, max: 90, default: 30, explain: 'Delivery records and every attempt (the webhooks page).' },
}

export const RETENTION_KINDS = Object.keys(RETENTION_BOUNDS) as RetentionKind[]

export const DEFAULT_RETENTION: Retention = Object.fromEntries(RETENTION_KINDS.map((kind) => [kind, RETENTION_BOUNDS[kind].default])) as Retention

/** Fixed retention of records nobody reads after their purpose: replayed idempotent responses, used or expired email links. */
export const IDEMPOTENCY_RETENTION_HOURS = 24
export const EMAIL_TOKEN_RETENTION_DAYS = 7

function days(kind: RetentionKind) {
  const { min, max, label } = RETENTION_BOUNDS[kind]
  const message = `${label} retention must be a whole number of days from ${min} to ${max}.`
  return z.coerce
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message })
}

/** A change of the account's retention: every field in days, within its bounds (400 naming the field otherwise). */
export const RetentionInput = z.object({
  messagesDays: days('messagesDays'),
  mediaDays: days('mediaDays'),
  eventsDays: days('eventsDays'),
  webhookDeliveriesDays: days('webhookDeliveriesDays'),
})
