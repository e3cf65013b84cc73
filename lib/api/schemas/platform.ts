import { z } from 'zod'
import { INSTANCE_STATES } from '@/lib/db/schema/instances'
import { INSTANCE_STATUS_CODES } from '@/lib/instances/status-codes'
import { EVENT_TYPES } from '@/lib/events/types'
import { InstanceName } from './instances'
import { ConnectResponse, PhoneNumber } from './instances-data-plane'
import { ProxyView, SetProxyBody, SetSettingsBody, SettingsResponse } from './instance-settings'

/** POST /api/v1/instances: Evolution API v2's `/instance/create` body, the fields we have. */
export const CreateInstanceApiBody = z.object({
  instanceName: InstanceName,
  qrcode: z.boolean({ error: 'qrcode is true or false' }).optional().describe('Start pairing at once and answer with the first QR code (as `GET …/connect`)'),
  number: PhoneNumber.optional().describe('With `qrcode: true`: answer with an 8-character pairing code for this phone number instead of a QR'),
  sandbox: z.boolean({ error: 'sandbox is true or false' }).optional().describe('A sandbox instance: connected to a simulated WhatsApp of your account only, its phone links itself at connect; drive its contacts with the …/sandbox/ endpoints. See the guide "Test your integration in CI"'),
})

export const InstanceDetail = z.object({
  name: z.string(),
  state: z.enum(INSTANCE_STATES).describe('As GET connectionState says it: an instance whose worker stopped answering reads `connecting` while another worker takes it over'),
  statusCode: z.enum(INSTANCE_STATUS_CODES).describe('Why it is in that state (see the instance page of the dashboard)'),
  statusReason: z.string().nullable().describe('The same, in words for people; never parse it'),
  phoneNumber: z.string().nullable(),
  pushName: z.string().nullable(),
  sandbox: z.boolean().describe('A sandbox instance (never connected to WhatsApp)'),
  createdAt: z.string().describe('ISO 8601'),
  updatedAt: z.string().describe('ISO 8601'),
})

export const InstanceDetailList = z.object({ instances: z.array(InstanceDetail) })

export const CreatedInstance = z.object({
  instance: InstanceDetail,
  qrcode: ConnectResponse.nullable().describe('With `qrcode: true`: the QR (or pairing code) to link the phone; otherwise null'),
})

/**
 * PATCH /api/v1/instances/{name}: its settings and its proxy, with the same bodies as the data plane's
 * settings/set and proxy/set (the name is fixed).
 */
export const UpdateInstanceApiBody = z
  .strictObject({
    settings: SetSettingsBody.optional().describe('The switches to change, as `POST /instance/{name}/settings/set` takes them'),
    proxy: SetProxyBody.optional().describe('The proxy, as `POST /instance/{name}/proxy/set` takes it'),
  })
  .refine((body) => body.settings !== undefined || body.proxy !== undefined, 'Send settings, proxy or both')

export const UpdatedInstance = InstanceDetail.extend({ settings: SettingsResponse, proxy: ProxyView })

export const InstanceDeletedByKey = z.object({ deleted: z.literal(true), name: z.string() })

const NO_NUL = (value: string) => !value.includes('\u0000')

/** A log position: a whole number as a string (0 = from the start of what is kept). */
export const EventPosition = z
  .string()
  .regex(/^\d{1,15}$/, 'A position is a whole number (the `position` of the last event you have), at most 15 digits')
  .transform(Number)

export const EventTypesParam = z
  .string()
  .refine(NO_NUL, 'Must not contain NUL bytes')
  .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(z.enum(EVENT_TYPES, { error: `Unknown event type; known: ${EVENT_TYPES.join(', ')}` })).min(1, 'Name at least one event type'))

/** The filters of the event log, shared by the list and both streams. */
const EventFilters = {
  instance: z.string().refine(NO_NUL, 'Must not contain NUL bytes').pipe(InstanceName).optional().describe('Only this instance’s events'),
  types: EventTypesParam.optional().describe('Comma-separated event types, e.g. `MESSAGES_UPSERT,CONNECTION_UPDATE`'),
}

export const EventListQuery = z
  .object({
    after: EventPosition.optional().describe('Events after this position (the `position` of the last one you have); 0 or absent: the oldest kept'),
    limit: z
      .string()
      .regex(/^\d{1,4}$/, 'A whole number from 1 to 1000')
      .transform(Number)
      .pipe(z.number().min(1, 'At least 1').max(1000, 'At most 1000'))
      .optional()
      .describe('Events per page, 1–1000 (default 100)'),
    ...EventFilters,
  })
  .strict()

export const EventStreamQuery = z
  .object({
    after: EventPosition.optional().describe('Start after this position; the `Last-Event-ID` header, when sent, wins'),
    ...EventFilters,
    ticket: z
      .string()
      .max(64)
      .optional()
      .describe('Instead of the Authorization header, where a browser cannot send one: a ticket from `POST /api/v1/events/tickets` (single use, 60 s)'),
  })
  .strict()

export const StreamTicket = z.object({
  ticket: z.string().describe('Pass as `?ticket=` to `/api/v1/events/ws` or `/api/v1/events/stream`, once, within 60 s'),
  expiresAt: z.string().describe('When it stops working if unused (ISO 8601)'),
})

export const LoggedEvent = z.object({
  position: z.string().describe('Its place in the log: pass it as `after` (or `Last-Event-ID`) to resume after it'),
  id: z.string().describe('The event id that webhook deliveries of this event carry'),
  event: z.enum(EVENT_TYPES),
  instance: z.string(),
  data: z.unknown(),
  timestamp: z.string().describe('ISO 8601, when the event was recorded'),
})

export const EventPage = z.object({
  events: z.array(LoggedEvent),
  nextAfter: z.string().describe('Pass as `after` for the next page (the last event’s position, or your `after` when the page is empty)'),
  hasMore: z.boolean().describe('More events are already waiting: fetch again at once'),
})

export const ExportJob = z.object({
  id: z.string().uuid(),
  status: z.enum(['queued', 'building', 'ready', 'failed']).describe('queued → building → ready (or failed)'),
  progress: z.object({
    done: z.number().int().describe('Records written so far'),
    total: z.number().int().nullable().describe('Records the export will hold, counted when the build starts; null before'),
    percent: z.number().int().nullable(),
  }),
  bytes: z.number().int().describe('Size of the file written so far'),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable().describe('A ready export can be downloaded until then'),
  error: z.string().nullable(),
  downloadUrl: z.string().nullable().describe('Set once it is ready'),
})
