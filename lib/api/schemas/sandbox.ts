// The sandbox control API, /api/v1/instance/{name}/sandbox/…: what the simulated contacts of a sandbox instance do.
import { z } from 'zod'
import { PhoneNumber } from './instances-data-plane'

const Contact = z.object({
  number: PhoneNumber.describe('The contact’s number (country code and number, digits only)'),
  name: z.string().max(100).optional().describe('The contact’s WhatsApp profile name'),
  onWhatsApp: z.boolean().optional().describe('false: a number without WhatsApp (number checks say so, sends to it fail with not_on_whatsapp)'),
  addressing: z.enum(['pn', 'lid']).optional().describe('`lid`: the contact writes as a LID-addressed account, as more and more WhatsApp users do'),
})

export const SandboxContactsBody = z.object({
  contacts: z.array(Contact).min(1, 'Give at least one contact').max(50, 'At most 50 contacts per call'),
})

export const SandboxContactsResponse = z.object({
  contacts: z.array(z.object({ number: z.string(), jid: z.string().nullable(), lid: z.string().nullable(), onWhatsApp: z.boolean() })),
})

const MessageId = z.string().min(1).max(128)
const RECEIVE_KINDS = ['text', 'media', 'location', 'reaction', 'edit', 'delete', 'vote'] as const

export const SandboxReceiveBody = z
  .object({
    from: PhoneNumber.describe('The contact who sends (made with sandbox/contacts, or any new number)'),
    text: z.string().min(1).max(65_536).optional(),
    media: z
      .object({
        type: z.enum(['image', 'video', 'audio', 'document', 'sticker']),
        base64: z.string().min(1).describe('The file, base64; at most SANDBOX_MAX_MEDIA_BYTES decoded (5 MB by default)'),
        mimetype: z.string().max(200).optional(),
        fileName: z.string().max(255).optional(),
        caption: z.string().max(4096).optional(),
      })
      .optional(),
    location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), name: z.string().max(200).optional(), address: z.string().max(500).optional() }).optional(),
    reaction: z.object({ messageId: MessageId.describe('A message of the chat; the instance’s own unless fromMe is false'), emoji: z.string().max(16).describe('Empty removes the reaction'), fromMe: z.boolean().optional() }).optional(),
    edit: z.object({ messageId: MessageId.describe('A message this contact sent'), text: z.string().min(1).max(65_536) }).optional(),
    delete: z.object({ messageId: MessageId.describe('A message this contact sent: deleted for everyone') }).optional(),
    vote: z
      .object({
        messageId: MessageId.describe('A poll the instance sent to this contact (key.id of the sendPoll)'),
        options: z.array(z.string().min(1).max(255)).max(12).describe('The option names picked; an empty list takes the vote back'),
      })
      .optional()
      .describe('The contact votes on a poll: it arrives encrypted as WhatsApp sends it, and is announced as MESSAGES_UPDATE with `pollVote`'),
  })
  .refine((body) => RECEIVE_KINDS.filter((kind) => body[kind] !== undefined).length === 1, {
    message: 'Give exactly one of text, media, location, reaction, edit, delete, vote',
    path: ['text'],
  })

export const SandboxReceiveResponse = z.object({ id: z.string().describe('The message id, as the MESSAGES_UPSERT webhook will show it in key.id') })

export const SandboxReceiptsBody = z.object({
  from: PhoneNumber.describe('The contact the messages were sent to'),
  ids: z.array(MessageId).min(1).max(100).optional().describe('Messages the instance sent to the contact (key.id of the send); not with `never`/`auto`'),
  type: z.enum(['delivery', 'read', 'played', 'never', 'auto']).describe('`delivery`, `read`, `played` (voice notes): the contact’s phone sends that receipt now. `never`: from now on this contact sends no receipts by itself; `auto`: back to delivered after 0.3 s and read after 1 s'),
}).refine((body) => (body.type === 'never' || body.type === 'auto' ? body.ids === undefined : body.ids !== undefined), { message: 'ids are required for delivery, read and played, and not allowed for never and auto', path: ['ids'] })

export const SandboxDisconnectBody = z.object({
  reason: z
    .enum(['connection_lost', 'logged_out', 'banned'])
    .describe(
      '`connection_lost`: WhatsApp drops the connection and the instance reconnects by itself. `logged_out`: the phone removes the linked device; the instance is logged out. `banned`: a temporary ban — the connection drops and WhatsApp refuses to log in (402) until it ends',
    ),
  banSeconds: z.number().int().min(1).max(86_400).optional().describe('With `banned`: how long the ban lasts (default 60 s)'),
})

export const SandboxCallsBody = z.object({
  from: PhoneNumber.describe('The contact who calls'),
  video: z.boolean().optional(),
})

export const SandboxOk = z.object({ ok: z.literal(true) })
export const SandboxCallResponse = z.object({ id: z.string().describe('The call id, as the CALL webhook shows it') })
