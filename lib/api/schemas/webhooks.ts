import { z } from 'zod'
import { EVENT_TYPES, type EventType } from '@/lib/events/types'
import { urlShapeProblem } from '@/lib/webhooks/url-guard'

export { EVENT_TYPES as WEBHOOK_EVENTS }

/** Pre-selected on a new endpoint: the three events most integrations need. */
export const DEFAULT_WEBHOOK_EVENTS: EventType[] = ['MESSAGES_UPSERT', 'SEND_MESSAGE_UPDATE', 'CONNECTION_UPDATE']

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<EventType, string> = {
  MESSAGES_UPSERT: 'A message arrives, or one is sent from the phone or the API',
  MESSAGES_SET: 'Messages from WhatsApp’s history sync after pairing (stored, never announced as MESSAGES_UPSERT), up to 200 per event',
  MESSAGES_UPDATE: 'A message’s status changes (receipts), it is edited (or one announced as undecryptable became readable after all), or someone votes on a poll',
  MESSAGES_DELETE: 'A message is deleted for everyone',
  POLL_VOTE: 'Someone votes on a poll (or changes or takes back their vote): who picked what, and the tally after it (MESSAGES_UPDATE carries the same)',
  SEND_MESSAGE_UPDATE: 'Status change of a message sent through the API (a scheduled one: SCHEDULED → PENDING at its time, or CANCELLED)',
  CHATS_SET: 'Chats described by WhatsApp’s history sync (name, unread count, archived, pinned, muted), new or changed, up to 200 per event',
  CHATS_UPDATE: 'A chat is archived or unarchived, pinned or unpinned, muted or unmuted, marked unread or read: through the API, on the phone or on another linked device',
  CHATS_DELETE: 'A chat is deleted, through the API or on the phone (its stored messages stay)',
  CONTACTS_SET: 'Contacts’ names and identities from WhatsApp’s history sync, new or changed, up to 200 per event',
  CONNECTION_UPDATE: 'The instance’s connection state changes',
  QRCODE_UPDATED: 'A new QR code is ready for pairing',
  GROUPS_UPSERT: 'A group is created or joined',
  GROUP_UPDATE: 'A group’s subject or settings change',
  GROUP_PARTICIPANTS_UPDATE: 'Members are added, removed, promoted or demoted',
  CALL: 'A call comes in, is accepted, rejected (by the phone or by the instance’s rejectCall setting), times out or ends',
  PRESENCE_UPDATE: 'A contact or group member the instance subscribed to (chat/subscribePresence) comes online, goes offline, types, records audio or stops',
  INSTANCE_HEALTH: 'Sending was paused because WhatsApp signalled trouble (rate limit, refused sends, undelivered messages, a ban), or resumed',
}

export const MAX_WEBHOOK_ENDPOINTS = 20

const WebhookUrl = z
  .string({ error: 'Enter the URL that should receive events' })
  .trim()
  .min(1, 'Enter the URL that should receive events')
  .superRefine((value, context) => {
    const problem = urlShapeProblem(value)
    if (problem) context.addIssue({ code: 'custom', message: problem })
  })

const EventList = z
  .array(z.enum(EVENT_TYPES, { error: (issue) => `"${String(issue.input)}" is not an event; use one of ${EVENT_TYPES.join(', ')}` }), {
    error: 'A list of event names',
  })
  .min(1, 'Pick at least one event')
  .transform((events) => EVENT_TYPES.filter((event) => events.includes(event)))

/** An instance name, or null for "every instance of the account". */
const InstanceFilter = z.string().trim().min(1, 'Give an instance name, or null for every instance').nullable()

export const CreateWebhookBody = z.strictObject({
  url: WebhookUrl,
  events: EventList.default(DEFAULT_WEBHOOK_EVENTS),
  instance: InstanceFilter.optional(),
  enabled: z.boolean({ error: 'true or false' }).default(true),
})
export type CreateWebhookInput = z.input<typeof CreateWebhookBody>

export const UpdateWebhookBody = z
  .strictObject({
    url: WebhookUrl.optional(),
    events: EventList.optional(),
    instance: InstanceFilter.optional(),
    enabled: z.boolean({ error: 'true or false' }).optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'Send at least one of url, events, instance, enabled')
export type UpdateWebhookInput = z.input<typeof UpdateWebhookBody>

export const WebhookEndpoint = z.object({
  id: z.string().uuid(),
  url: z.string(),
  events: z.array(z.enum(EVENT_TYPES)),
  instance: z.string().nullable(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  failingSince: z.string().nullable(),
  /** Until then the previous secret still signs, in X-Sage-Signature-Previous. */
  previousSecretExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>

/** Creation and rotation only: the signing secret, shown once. */
export const WebhookEndpointWithSecret = WebhookEndpoint.extend({ secret: z.string() })
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const

export const DeliveryListQuery = z.strictObject({
  limit: z.coerce.number({ error: 'A whole number from 1 to 100' }).int('A whole number from 1 to 100').min(1).max(100).default(20),
  status: z.enum(DELIVERY_STATUSES, { error: `One of ${DELIVERY_STATUSES.join(', ')}` }).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().regex(/^\d{1,18}$/, 'Use the nextCursor of the previous page').optional(),
})
export type DeliveryListQuery = z.input<typeof DeliveryListQuery>

export const WebhookAttempt = z.object({
  attemptedAt: z.string(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  responseSnippet: z.string().nullable(),
  error: z.string().nullable(),
})
export type WebhookAttempt = z.infer<typeof WebhookAttempt>

export const WebhookDelivery = z.object({
  id: z.string().uuid(),
  event: z.string(),
  eventId: z.string(),
  instance: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastAttempt: WebhookAttempt.nullable(),
})
export type WebhookDelivery = z.infer<typeof WebhookDelivery>

export const WebhookDeliveryDetail = WebhookDelivery.extend({ payload: z.unknown(), attemptLog: z.array(WebhookAttempt) })
export type WebhookDeliveryDetail = z.infer<typeof WebhookDeliveryDetail>
