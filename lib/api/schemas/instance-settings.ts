import { z } from 'zod'
import { PROXY_PROTOCOLS } from '@/lib/instances/proxy-protocols'
import { isTimeZone } from '@/lib/messages/send-policy'

/**
 * Instance settings and proxy, in Evolution API v2's body shapes (`/settings/set`, `/proxy/set`),
 * plus our own switches for status broadcasts and channels. Postgres text cannot hold NUL, and no
 * setting needs control characters, so they are refused here rather than failing later.
 */
const noControlCharacters = (value: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)

const flag = (what: string) => z.boolean({ error: 'true or false' }).describe(what)

export const MAX_CALL_REPLY_LENGTH = 1000

export const SettingsFields = {
  rejectCall: flag('Reject incoming calls (voice and video, 1:1 and group)'),
  msgCall: z
    .string({ error: 'Text, or null for none' })
    .max(MAX_CALL_REPLY_LENGTH, `At most ${MAX_CALL_REPLY_LENGTH} characters`)
    .refine(noControlCharacters, 'No control characters (NUL and the like)')
    .nullable()
    .describe('Sent to the caller when a call is rejected; empty or null sends nothing'),
  groupsIgnore: flag('Group messages are neither stored nor announced (MESSAGES_UPSERT)'),
  statusIgnore: flag('Status broadcasts (status@broadcast) are neither stored nor announced; on by default'),
  channelsIgnore: flag('Channel (newsletter) posts are neither stored nor announced'),
  alwaysOnline: flag('Show the account as online while connected (otherwise it is shown offline and phone notifications keep coming)'),
  readMessages: flag('Mark every incoming message as read (blue ticks) as it arrives'),
  readStatus: flag('Mark status broadcasts as read as they arrive (only when statusIgnore is off)'),
  syncFullHistory: flag('Ask the phone for the full history at the next pairing, not only the recent chats it always sends (stored as history, announced as MESSAGES_SET); no effect on an instance already paired'),
}

const ms = (max: number, what: string) => z.number({ error: `A whole number of milliseconds, 0–${max}` }).int(`A whole number of milliseconds, 0–${max}`).min(0).max(max).describe(what)
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time of day as HH:MM, e.g. 22:00')

/** The send policy ("Keeping your number safe" on /docs); every field optional in a change, the others keep their values. */
export const SendPolicyFields = {
  minGapMs: ms(600_000, 'Least time between two sends of the instance (recommended 3000; 0: off)'),
  jitterMs: ms(600_000, 'A random 0…jitterMs added to every gap, so sends are not machine-regular (recommended 2000)'),
  typingMsPerChar: ms(1_000, '"typing…" shown before a text, per character, up to 10 s (recommended 40; 0: off)'),
  newChatsPerDay: z
    .number({ error: 'A whole number from 1 to 10000, or null for no cap' })
    .int()
    .min(1)
    .max(10_000)
    .nullable()
    .describe('First messages to people who never wrote to this number, per day of timeZone; over it, sends wait for the next day (QUEUED_BY_POLICY). Recommended 20; null: no cap'),
  warmUp: z
    .boolean({ error: 'true or false' })
    .describe('A newly used number starts low: 5, 10, 20, 40, 80 new chats on its first five days of sending through us (never above newChatsPerDay); recommended for a new number'),
  quietHours: z
    .strictObject({ from: clockTime.describe('Start, HH:MM'), to: clockTime.describe('End, HH:MM (may be the next morning)') })
    .nullable()
    .describe('No sends between from and to in timeZone; sends in them wait until `to` (QUEUED_BY_POLICY). null: none'),
  timeZone: z.string().refine(isTimeZone, 'An IANA time zone, e.g. Asia/Kolkata or UTC').describe('The time zone of the cap\'s days and of quietHours (default UTC)'),
}

export const SendPolicyChange = z.strictObject({
  minGapMs: SendPolicyFields.minGapMs.optional(),
  jitterMs: SendPolicyFields.jitterMs.optional(),
  typingMsPerChar: SendPolicyFields.typingMsPerChar.optional(),
  newChatsPerDay: SendPolicyFields.newChatsPerDay.optional(),
  warmUp: SendPolicyFields.warmUp.optional(),
  quietHours: SendPolicyFields.quietHours.optional(),
  timeZone: SendPolicyFields.timeZone.optional(),
})

export const SendPolicyView = z.object({
  minGapMs: z.number().int(),
  jitterMs: z.number().int(),
  typingMsPerChar: z.number().int(),
  newChatsPerDay: z.number().int().nullable(),
  warmUp: z.boolean(),
  quietHours: z.object({ from: z.string(), to: z.string() }).nullable(),
  timeZone: z.string(),
})

export const SetSettingsBody = z
  .strictObject({
    rejectCall: SettingsFields.rejectCall.optional(),
    msgCall: SettingsFields.msgCall.optional(),
    groupsIgnore: SettingsFields.groupsIgnore.optional(),
    statusIgnore: SettingsFields.statusIgnore.optional(),
    channelsIgnore: SettingsFields.channelsIgnore.optional(),
    alwaysOnline: SettingsFields.alwaysOnline.optional(),
    readMessages: SettingsFields.readMessages.optional(),
    readStatus: SettingsFields.readStatus.optional(),
    syncFullHistory: SettingsFields.syncFullHistory.optional(),
    sendPolicy: SendPolicyChange.optional().describe('How fast and when the instance may send; see "Keeping your number safe". Fields left out keep their values'),
    /** Evolution's voice-call add-on token: accepted so Evolution bodies pass, and ignored. */
    wavoipToken: z.string().max(500).refine(noControlCharacters, 'No control characters').optional().describe('Accepted for compatibility with Evolution API bodies and ignored'),
  })
  .refine((body) => Object.entries(body).some(([key, value]) => key !== 'wavoipToken' && value !== undefined), 'Send at least one setting')
export type SetSettingsInput = z.infer<typeof SetSettingsBody>

export const SettingsResponse = z.object({
  rejectCall: z.boolean(),
  msgCall: z.string().nullable(),
  groupsIgnore: z.boolean(),
  statusIgnore: z.boolean(),
  channelsIgnore: z.boolean(),
  alwaysOnline: z.boolean(),
  readMessages: z.boolean(),
  readStatus: z.boolean(),
  syncFullHistory: z.boolean(),
  sendPolicy: SendPolicyView,
})

export const SetSettingsResponse = z.object({ settings: z.object({ instanceName: z.string(), settings: SettingsResponse }) })

const ProxyHost = z
  .string({ error: 'The proxy host name or IP address' })
  .trim()
  .min(1, 'The proxy host name or IP address')
  .max(253, 'At most 253 characters')
  .regex(/^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[?[0-9A-Fa-f:.]+\]?)$/, 'A host name or IP address only, without scheme, port or path')
  .transform((host) => host.replace(/^\[(.*)\]$/, '$1'))

const ProxyPort = z
  .union([z.number(), z.string().regex(/^\d{1,5}$/, 'A port number from 1 to 65535').transform(Number)], { error: 'A port number from 1 to 65535' })
  .pipe(z.number().int('A port number from 1 to 65535').min(1, 'A port number from 1 to 65535').max(65535, 'A port number from 1 to 65535'))

const ProxyCredential = z.string().max(255, 'At most 255 characters').refine(noControlCharacters, 'No control characters (NUL and the like)')

export const SetProxyBody = z
  .strictObject({
    enabled: z.boolean({ error: 'true or false' }).describe('false removes the proxy (every field is cleared)'),
    host: ProxyHost.optional(),
    port: ProxyPort.optional().describe('1–65535; a number or a string of digits'),
    protocol: z.enum(PROXY_PROTOCOLS, { error: `One of ${PROXY_PROTOCOLS.join(', ')}` }).optional(),
    username: ProxyCredential.nullable().optional(),
    password: ProxyCredential.nullable().optional().describe('Omit it to keep the stored password (same username); never returned'),
  })
  .superRefine((body, context) => {
    if (!body.enabled) return
    for (const field of ['host', 'port', 'protocol'] as const) {
      if (body[field] === undefined) context.addIssue({ code: 'custom', path: [field], message: `Required when enabled is true` })
    }
  })
export type SetProxyInput = z.infer<typeof SetProxyBody>

export const ProxyView = z.object({
  enabled: z.boolean(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  protocol: z.enum(PROXY_PROTOCOLS).nullable(),
  username: z.string().nullable(),
  hasPassword: z.boolean().describe('Whether a password is stored; the password itself is never returned'),
})

export const SetProxyResponse = z.object({ proxy: z.object({ instanceName: z.string(), proxy: ProxyView }) })
