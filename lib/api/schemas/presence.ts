import { z } from 'zod'
import { ChatJid } from './chats'

export const PRESENCES = ['composing', 'recording', 'paused', 'available', 'unavailable'] as const
/** WhatsApp clients drop "typing…" after about 25 s without news, and a bot should not pretend for longer than a minute. */
export const MAX_PRESENCE_DELAY_MS = 60_000

export const SendPresenceBody = z.object({
  number: ChatJid.describe('The chat: a contact (number, <number>@s.whatsapp.net, <lid>@lid) or a group (<id>@g.us)'),
  presence: z
    .enum(PRESENCES, { error: `presence is one of ${PRESENCES.join(', ')}` })
    .describe('composing ("typing…"), recording ("recording audio…"), paused (stops either), available / unavailable (the account online or offline, for every chat)'),
  delay: z
    .number({ error: 'delay is a number of milliseconds' })
    .int('delay is a whole number of milliseconds')
    .min(0, 'delay cannot be negative')
    .max(MAX_PRESENCE_DELAY_MS, `delay is at most ${MAX_PRESENCE_DELAY_MS} ms (60 s)`)
    .optional()
    .describe('composing / recording only: how long to show it (ms, at most 60,000), after which the instance sends paused; without it the state stays until you send paused or a message'),
})

export const SendPresenceResponse = z.object({
  jid: z.string().describe('The chat, as given (a number becomes <number>@s.whatsapp.net)'),
  presence: z.enum(PRESENCES),
  until: z.string().nullable().describe('With a delay: when the instance sends paused (ISO 8601)'),
})

export const SubscribePresenceBody = z.object({
  number: ChatJid.describe('A contact (its online state and typing) or a group (its members’ typing)'),
})

export const SubscribePresenceResponse = z.object({
  jid: z.string(),
  subscribed: z.literal(true),
})
