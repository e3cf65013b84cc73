import { z } from 'zod'
import { PhoneNumber } from './instances-data-plane'

/** A contact's LID JID, as webhooks show it in `remoteJid` / `remoteJidAlt`: digits, then @lid. */
export const LidJid = z.string().regex(/^\d{1,20}@lid$/, 'A LID looks like 123456789012345@lid')

/** A phone number (10–15 digits after stripping +, spaces, dashes), a contact's LID JID, or a group JID. */
export const Recipient = z
  .string({ error: 'Give the number as a string, e.g. "919876543210", "123456789012345@lid" or "1203630…@g.us"' })
  .trim()
  .pipe(
    z.union([
      z.string().regex(/^\d{5,20}-?\d*@g\.us$/, 'A group JID looks like 120363012345678901@g.us'),
      LidJid,
      PhoneNumber,
    ]),
  )
  .describe(
    'Country code and number, digits only (a leading +, spaces and dashes are stripped); or a contact\'s LID ending in @lid (as `remoteJid`/`remoteJidAlt` show it: it reaches the same chat as the number); or a group JID ending in @g.us',
  )

export const Delay = z
  .number({ error: 'delay is a number of milliseconds' })
  .int('delay is a whole number of milliseconds')
  .min(0, 'delay is at least 0')
  .max(60_000, 'delay is at most 60000 ms')
  .describe('Milliseconds to wait before sending, shown to the recipient as "typing…"')

/** How far ahead a send may be scheduled. */
export const SCHEDULE_MAX_DAYS = 30

export const SendAt = z
  .iso.datetime({ offset: true, abort: true, error: 'sendAt is an ISO 8601 time with its offset, e.g. 2026-01-31T09:00:00+05:30 or …Z' })
  .superRefine((value, context) => {
    const at = Date.parse(value)
    if (at <= Date.now()) context.addIssue({ code: 'custom', message: 'sendAt is in the past' })
    else if (at > Date.now() + SCHEDULE_MAX_DAYS * 86_400_000) context.addIssue({ code: 'custom', message: `sendAt is at most ${SCHEDULE_MAX_DAYS} days ahead` })
  })
  .describe(
    `Send at this time instead of now (ISO 8601 with its offset, at most ${SCHEDULE_MAX_DAYS} days ahead): the answer is at once, \`status\` \`SCHEDULED\`. With \`delay\`, "typing…" starts at sendAt and the message goes out \`delay\` ms later. Cancel it with DELETE messages/{id} until then`,
  )

export const Priority = z
  .enum(['normal', 'transactional'], { error: 'priority is normal or transactional' })
  .describe('`transactional` (one-time codes, receipts the recipient is waiting for) skips the send policy\'s pacing: no gap, no quiet hours, no hold for the new-chat cap; it still counts toward the cap')

export const MessageKey = z.object({
  remoteJid: z.string().min(3).max(100).describe('The chat: <number>@s.whatsapp.net (or <lid>@lid when only the LID is known), or a group\'s <id>@g.us'),
  fromMe: z.boolean().describe('true for a message this instance sent'),
  id: z.string().min(1).max(128).describe('WhatsApp\'s message id'),
})

const Quoted = z.object({
  key: MessageKey.partial({ remoteJid: true, fromMe: true }),
  message: z.record(z.string(), z.unknown()).optional(),
})

/** What every send (but a reaction) may add: a reply to any message, and mentions. */
const SendExtras = {
  quoted: Quoted.optional().describe('The message to reply to (any type, groups included): its key, as a send or a MESSAGES_UPSERT webhook returned it'),
  mentions: z
    .array(PhoneNumber)
    .max(1024, 'At most 1024 mentions')
    .optional()
    .describe('Numbers to mention (WhatsApp highlights them; write @<number> in the text where they belong)'),
  mentionsEveryOne: z.boolean().optional().describe('In a group: mention every member'),
}

export const SendTextBody = z.object({
  number: Recipient,
  text: z.string({ error: 'text is required' }).min(1, 'text cannot be empty').max(65_536, 'text is at most 65536 characters').describe('The message text'),
  delay: Delay.optional(),
  sendAt: SendAt.optional(),
  priority: Priority.optional(),
  linkPreview: z.boolean().optional().describe('Show a preview (title, description, image) of the first link in the text. The page is fetched by the worker with the same safety checks and limits as media URLs; when it cannot be fetched the text goes without a preview'),
  ...SendExtras,
})

export const MEDIA_TYPES = ['image', 'video', 'audio', 'document'] as const

export const SendMediaBody = z.object({
  number: Recipient,
  mediatype: z.enum(MEDIA_TYPES, { error: 'mediatype is one of image, video, audio, document' }).describe('What kind of media this is'),
  media: z
    .string()
    .min(1, 'media is an https URL or base64 data')
    .optional()
    .describe('An https URL the worker downloads, or base64 data. Required unless the body is multipart with a `file` part'),
  mimetype: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'mimetype looks like image/jpeg').optional().describe('e.g. image/jpeg; detected from the bytes when omitted'),
  caption: z.string().max(4096).optional().describe('Text shown under the image, video or document'),
  fileName: z.string().min(1).max(255).optional().describe('The file name the recipient sees (documents)'),
  ptv: z.boolean().optional().describe('With mediatype video: send it as a round video note'),
  gif: z.boolean().optional().describe('With mediatype video: play it looping and silent, as a GIF'),
  delay: Delay.optional(),
  sendAt: SendAt.optional(),
  priority: Priority.optional(),
  ...SendExtras,
}).superRefine((body, context) => {
  for (const flag of ['ptv', 'gif'] as const) {
    if (body[flag] && body.mediatype !== 'video') context.addIssue({ code: 'custom', path: [flag], message: `${flag} needs mediatype video` })
  }
  if (body.ptv && body.gif) context.addIssue({ code: 'custom', path: ['gif'], message: 'a video is sent as ptv or as gif, not both' })
})

export const SendLocationBody = z.object({
  number: Recipient,
  latitude: z.number({ error: 'latitude is a number' }).min(-90).max(90).describe('Degrees north (negative: south)'),
  longitude: z.number({ error: 'longitude is a number' }).min(-180).max(180).describe('Degrees east (negative: west)'),
  name: z.string().max(256).optional().describe('Name of the place'),
  address: z.string().max(512).optional().describe('Address shown under the name'),
  delay: Delay.optional(),
  sendAt: SendAt.optional(),
  priority: Priority.optional(),
  ...SendExtras,
})

export const ContactCard = z.object({
  fullName: z.string().min(1, 'fullName is required').max(256).describe('Name on the card'),
  phoneNumber: z.string().regex(/^\+?[\d\s()-]{5,25}$/, 'phoneNumber is a phone number, e.g. +91 98765 43210').describe('As shown on the card, e.g. +91 98765 43210'),
  wuid: z.string().regex(/^\d{5,20}$/, 'wuid is the WhatsApp number, digits only').optional().describe('The WhatsApp number behind the card, digits only; defaults to phoneNumber\'s digits'),
  organization: z.string().max(256).optional().describe('Company'),
  email: z.string().email().optional().describe('Email address on the card'),
  url: z.string().url().optional().describe('Website on the card'),
})

export const SendContactBody = z.object({
  number: Recipient,
  contact: z.array(ContactCard).min(1, 'Give at least one contact').max(50, 'At most 50 contacts').describe('One contact sends a contact card; several send a contacts list'),
  delay: Delay.optional(),
  sendAt: SendAt.optional(),
  priority: Priority.optional(),
  ...SendExtras,
})

export const SendReactionBody = z.object({
  key: MessageKey.describe('The key of the message to react to'),
  reaction: z.string().max(16, 'reaction is one emoji (an empty string removes it)').describe('One emoji; an empty string removes your reaction'),
  sendAt: SendAt.optional(),
  priority: Priority.optional(),
})

/** message/sendSticker, as Evolution v2 spells it. */
export const SendStickerBody = z.object({
  number: Recipient,
  sticker: z
    .string({ error: 'sticker is an https URL or base64 data' })
    .min(1, 'sticker is an https URL or base64 data')
    .describe('An https URL the worker downloads, or base64 data: a WebP is sent as it is, a PNG or JPEG becomes a 512×512 WebP'),
  delay: Delay.optional(),
  sendAt: SendAt.optional(),
  priority: Priority.optional(),
  ...SendExtras,
})

/** message/sendWhatsAppAudio, as Evolution v2 spells it: a voice note. */
export const SendWhatsAppAudioBody = z.object({
  number: Recipient,
  audio: z
    .string({ error: 'audio is an https URL or base64 data' })
    .min(1, 'audio is an https URL or base64 data')
    .describe('An https URL the worker downloads, or base64 data: Ogg/Opus is sent as it is; MP3, WAV, M4A or any audio ffmpeg reads is converted to Ogg/Opus'),
  encoding: z
    .boolean({ error: 'encoding is true or false' })
    .optional()
    .describe('false: send the audio without converting it, so it must be Ogg/Opus (415 otherwise). Default true'),
  delay: Delay.optional(),
  sendAt: SendAt.optional(),
  priority: Priority.optional(),
  ...SendExtras,
})

/** message/sendPoll, as Evolution v2 spells it; 2–12 options as WhatsApp's apps allow. */
export const SendPollBody = z
  .object({
    number: Recipient,
    name: z.string({ error: 'name is required' }).trim().min(1, 'name cannot be empty').max(255, 'name is at most 255 characters').describe('The question'),
    values: z
      .array(z.string().trim().min(1, 'an option cannot be empty').max(100, 'an option is at most 100 characters'), { error: 'values is a list of 2–12 options' })
      .min(2, 'values needs at least 2 options')
      .max(12, 'values has at most 12 options')
      .refine((values) => new Set(values).size === values.length, 'the options in values must differ')
      .describe('The options, 2–12, each different'),
    selectableCount: z
      .number({ error: 'selectableCount is a whole number' })
      .int('selectableCount is a whole number')
      .min(0, 'selectableCount is at least 0')
      .max(12, 'selectableCount is at most 12')
      .optional()
      .describe('How many options one person may pick: 1 for a single choice; 0 (the default) for any number'),
    delay: Delay.optional(),
    sendAt: SendAt.optional(),
    priority: Priority.optional(),
    ...SendExtras,
  })
  .superRefine((body, context) => {
    if (body.selectableCount !== undefined && body.selectableCount > body.values.length) {
      context.addIssue({ code: 'custom', path: ['selectableCount'], message: 'selectableCount is at most the number of options' })
    }
  })

/** chat/updateMessage, as Evolution v2 spells it: `number` is the chat, `key` the message, `text` its new text or caption. */
export const UpdateMessageBody = z.object({
  number: Recipient.optional().describe('The chat the message is in (optional: the key names it)'),
  key: MessageKey.describe('The key of the message to edit: one this instance sent'),
  text: z.string({ error: 'text is required' }).min(1, 'text cannot be empty').max(65_536, 'text is at most 65536 characters').describe('The new text (or caption, for an image, video or document)'),
})

/** chat/deleteMessageForEveryone, as Evolution v2 spells it: the message's key, flat. */
export const DeleteForEveryoneBody = MessageKey.extend({
  participant: z.string().min(3).max(100).optional().describe('In groups: who sent it (as the key of a MESSAGES_UPSERT webhook shows it)'),
})

export const ForwardMessageBody = z.object({
  number: Recipient,
  key: MessageKey.partial({ remoteJid: true, fromMe: true }).describe('The key of a stored message (sent or received) to forward; `id` is enough'),
  delay: Delay.optional(),
  sendAt: SendAt.optional(),
  priority: Priority.optional(),
})

export const WhatsappNumbersBody = z.object({
  numbers: z.array(PhoneNumber).min(1, 'Give at least one number').max(50, 'At most 50 numbers per call').describe('1–50 numbers: country code and number, digits only'),
})

export const MarkAsReadBody = z.object({
  readMessages: z.array(MessageKey).min(1, 'Give at least one message key').max(100).describe('Keys of received messages (1–100), as the MESSAGES_UPSERT webhook gave them'),
})

export const MESSAGE_STATUS = z.enum(['SCHEDULED', 'PENDING', 'QUEUED_BY_POLICY', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED', 'ERROR', 'CANCELLED'])

/** The 201 body of every send (the send endpoints' rows on the /docs page). */
/** A key as the API answers with it: the chat's LID beside its number, when known. */
export const MessageKeyOut = MessageKey.extend({
  remoteJidAlt: z.string().optional().describe('The chat\'s LID (<lid>@lid) when remoteJid is the phone number and WhatsApp told us the LID'),
  participant: z.string().optional().describe('In groups: who sent it (the phone-number JID when known)'),
  participantAlt: z.string().optional().describe('In groups: the sender\'s LID when participant is the phone number'),
})

export const MessageResponse = z.object({
  key: MessageKeyOut,
  message: z.record(z.string(), z.unknown()),
  messageTimestamp: z.number().int(),
  status: MESSAGE_STATUS,
  sendAt: z.string().optional().describe('Scheduled sends: when it goes out (ISO 8601)'),
  plannedAt: z.string().optional().describe('QUEUED_BY_POLICY: when the send policy lets it go out (ISO 8601)'),
  policyReason: z.enum(['gap', 'quiet_hours', 'new_chat_cap', 'paused']).optional().describe('QUEUED_BY_POLICY: what holds it: the gap between sends, quiet hours, the day\'s new-chat cap, or the instance\'s paused sending (no plannedAt until it is resumed)'),
})

/** A poll's current votes, as GET messages/{id} and MESSAGES_UPDATE show them. */
export const PollResults = z
  .object({
    name: z.string().describe('The question'),
    selectableCount: z.number().int().describe('How many options one person may pick (0: any number)'),
    options: z.array(
      z.object({
        name: z.string(),
        votes: z.number().int().describe('How many people picked it'),
        voters: z.array(z.string()).describe('Who picked it: phone-number JIDs when known, else LIDs'),
      }),
    ),
  })
  .describe('A poll: each option with its votes, counting each voter’s latest vote')

export const MessageDetails = MessageResponse.extend({
  messageType: z.string(),
  pushName: z.string().nullable(),
  statusHistory: z.array(z.object({ status: MESSAGE_STATUS, at: z.string() })),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  media: z.object({ mimetype: z.string(), url: z.string() }).nullable(),
  editedAt: z.string().nullable().describe('When the sender last edited it (ISO 8601), or null'),
  editHistory: z
    .array(z.object({ message: z.record(z.string(), z.unknown()), messageType: z.string(), replacedAt: z.string() }))
    .describe('Earlier contents, oldest first, each with when an edit replaced it'),
  deletedAt: z.string().nullable().describe('When the sender deleted it for everyone (ISO 8601), or null'),
  poll: PollResults.optional().describe('Polls only: the current tally'),
})

/** GET chat/lid: one of the two identities of a contact, to find the other. */
export const LidQuery = z
  .object({
    number: PhoneNumber.optional().describe('A phone number (country code and number, digits only): find its LID'),
    lid: LidJid.optional().describe('A LID (<digits>@lid, as remoteJid or remoteJidAlt show it): find its phone number'),
  })
  .superRefine((query, context) => {
    if (query.number === undefined && query.lid === undefined) context.addIssue({ code: 'custom', path: ['number'], message: 'Give number or lid' })
    if (query.number !== undefined && query.lid !== undefined) context.addIssue({ code: 'custom', path: ['lid'], message: 'Give number or lid, not both' })
  })

export const LidResponse = z.object({
  number: z.string().describe('The phone number, digits only'),
  jid: z.string().describe('Its chat id: <number>@s.whatsapp.net'),
  lid: z.string().describe('Its LID: <digits>@lid'),
})

/** GET chat/scheduled: a page of the instance's scheduled sends. */
export const ScheduledListQuery = z.strictObject({
  limit: z.coerce.number({ error: 'A whole number from 1 to 100' }).int('A whole number from 1 to 100').min(1).max(100).default(50),
  cursor: z.string().regex(/^[\w-]{1,200}$/, 'Use the nextCursor of the previous page').optional(),
})

export const ScheduledMessage = z.object({
  key: MessageKeyOut,
  message: z.record(z.string(), z.unknown()),
  status: z.literal('SCHEDULED'),
  sendAt: z.string().describe('When it goes out (ISO 8601)'),
  waiting: z
    .string()
    .nullable()
    .describe('Why a send whose time has come has not gone out (the instance is not connected, say), or null'),
})

export const ScheduledListResponse = z.object({
  messages: z.array(ScheduledMessage).describe('Soonest first'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
})

export const CancelMessageResponse = z.object({
  key: MessageKeyOut,
  status: z.literal('CANCELLED'),
})
