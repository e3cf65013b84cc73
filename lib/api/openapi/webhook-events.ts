// What SAGE-API POSTs to webhook endpoints: the envelope, each event's data, the headers, and the
// verification snippets shown under "Verifying webhook signatures" on the /docs page. The docs tests check real deliveries and recorded events against these.
import { z } from 'zod'
import { PAUSE_REASONS } from '@/lib/instances/send-health'
import { INSTANCE_STATUS_CODES } from '@/lib/instances/status-codes'
import { WEBHOOK_EVENT_DESCRIPTIONS } from '@/lib/api/schemas/webhooks'
import { MESSAGE_STATUS, PollResults } from '@/lib/api/schemas/messages'
import { GroupInfo, GroupMember } from '@/lib/api/schemas/groups'
import type { EventType } from '@/lib/events/types'

const EventKey = z.object({
  remoteJid: z
    .string()
    .describe('The chat: <number>@s.whatsapp.net whenever the number is known, else the contact’s LID (<digits>@lid); or a group’s <id>@g.us'),
  remoteJidAlt: z.string().optional().describe('The contact’s LID (<digits>@lid) when remoteJid is its number and WhatsApp told us the LID'),
  fromMe: z.boolean(),
  id: z.string(),
  participant: z.string().optional().describe('In groups: who sent it (the number JID when known, else the LID)'),
  participantAlt: z.string().optional().describe('In groups: the sender’s LID when participant is its number'),
})

const PollVote = z.object({
  voter: z.string().describe('Who voted: the phone-number JID when known, else the LID'),
  voterAlt: z.string().optional().describe('The voter\'s LID when voter is the phone number'),
  selectedOptions: z.array(z.string()).describe('The options picked (empty: the vote was taken back)'),
  votedAt: z.string().describe('When they voted, ISO 8601'),
})

const HistorySyncFields = {
  syncType: z.string().describe('Which part of the history: INITIAL_BOOTSTRAP and RECENT (recent chats, always sent at pairing), PUSH_NAME, FULL (older messages, with the syncFullHistory setting), ON_DEMAND'),
  progress: z.number().int().nullable().describe('How far the phone is through its history, 0–100, when it says'),
}

const UpsertData = z.object({
  key: EventKey,
  pushName: z.string().nullable().describe('The sender’s WhatsApp name'),
  messageType: z
    .string()
    .describe(
      'conversation, extendedTextMessage, imageMessage, …; undecryptable: WhatsApp delivered a message this device could not decrypt and the sender did not resend it readable in time (message is then empty; should it still come, MESSAGES_UPDATE brings its content)',
    ),
  message: z.record(z.string(), z.unknown()).describe('The message content, as WhatsApp sends it'),
  messageTimestamp: z.number().int().describe('Unix seconds'),
  status: MESSAGE_STATUS.optional(),
  media: z
    .object({ mimetype: z.string(), url: z.string().describe('GET it with your API key: the decrypted file') })
    .optional()
    .describe('Messages with media: where to download the file'),
})

export const WEBHOOK_EVENT_DATA: Record<EventType | 'WEBHOOK_TEST', { description: string; schema: z.ZodType; example: Record<string, unknown> }> = {
  MESSAGES_UPSERT: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.MESSAGES_UPSERT,
    schema: UpsertData,
    example: {
      key: { remoteJid: '919999999999@s.whatsapp.net', fromMe: false, id: '3A5F1C0D2B7E9A41C6D8' },
      pushName: 'Alice',
      messageType: 'conversation',
      message: { conversation: 'Hello!' },
      messageTimestamp: 1735689600,
    },
  },
  MESSAGES_SET: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.MESSAGES_SET,
    schema: z.object({
      ...HistorySyncFields,
      messages: z.array(UpsertData).describe('Messages not stored before, each shaped like MESSAGES_UPSERT data; a sync received again adds none'),
    }),
    example: {
      syncType: 'RECENT',
      progress: 100,
      messages: [
        { key: { remoteJid: '919999999999@s.whatsapp.net', fromMe: false, id: '3A5F1C0D2B7E9A41C6D8' }, pushName: 'Alice', messageType: 'conversation', message: { conversation: 'See you tomorrow' }, messageTimestamp: 1735600000, status: 'READ' },
      ],
    },
  },
  MESSAGES_UPDATE: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.MESSAGES_UPDATE,
    schema: z.object({
      key: EventKey,
      status: MESSAGE_STATUS.optional().describe('A receipt: the message’s new status'),
      messageType: z.string().optional().describe('An edit: the type of the new content. Also the content of a message announced as undecryptable that became readable after all'),
      message: z.record(z.string(), z.unknown()).optional().describe('An edit: the message’s new content (the stored message now has it; GET messages/{id} keeps the earlier one in editHistory); or the late content of an undecryptable message'),
      editedAt: z.string().optional().describe('An edit: when the sender edited it, ISO 8601'),
      pollVote: PollVote.optional().describe('A vote on a poll (key is the poll): this voter\'s new choice, which replaces their earlier one (POLL_VOTE carries the same)'),
      poll: PollResults.optional().describe('With pollVote: the poll\'s tally after this vote'),
    }),
    example: { key: { remoteJid: '919999999999@s.whatsapp.net', fromMe: true, id: '3EB0C431C26A1916E07A' }, status: 'READ' },
  },
  MESSAGES_DELETE: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.MESSAGES_DELETE,
    schema: z.object({ key: EventKey.describe('The deleted message as this instance knows it: the chat it is in, and whether this instance sent it') }),
    example: { key: { remoteJid: '919999999999@s.whatsapp.net', fromMe: false, id: '3A5F1C0D2B7E9A41C6D8' } },
  },
  POLL_VOTE: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.POLL_VOTE,
    schema: z.object({
      key: EventKey.describe('The poll (a message this instance sent or received)'),
      pollVote: PollVote.describe('This voter\'s new choice; it replaces their earlier one'),
      poll: PollResults.describe('The poll\'s tally after this vote, each voter\'s latest vote counted once (GET messages/{id} shows the same)'),
    }),
    example: {
      key: { remoteJid: '120363012345678901@g.us', fromMe: true, id: '3EB0C431C26A1916E07A' },
      pollVote: { voter: '919999999999@s.whatsapp.net', voterAlt: '123456789012345@lid', selectedOptions: ['Pizza'], votedAt: '2025-01-01T12:00:00.000Z' },
      poll: {
        name: 'Lunch on Friday?',
        selectableCount: 0,
        options: [
          { name: 'Pizza', votes: 2, voters: ['919999999999@s.whatsapp.net', '918888888888@s.whatsapp.net'] },
          { name: 'Sushi', votes: 0, voters: [] },
        ],
      },
    },
  },
  SEND_MESSAGE_UPDATE: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.SEND_MESSAGE_UPDATE,
    schema: z.object({
      key: EventKey,
      status: MESSAGE_STATUS,
      error: z.object({ code: z.string(), message: z.string() }).optional().describe('With status ERROR: why it failed'),
      plannedAt: z.string().nullable().optional().describe('With status QUEUED_BY_POLICY: when the send policy lets it go out, ISO 8601; null while the instance’s sending is paused'),
      reason: z.enum(['gap', 'quiet_hours', 'new_chat_cap', 'paused']).optional().describe('With status QUEUED_BY_POLICY: what holds it (paused: the instance’s sending is paused until it is resumed)'),
    }),
    example: { key: { remoteJid: '919999999999@s.whatsapp.net', fromMe: true, id: '3EB0C431C26A1916E07A' }, status: 'DELIVERY_ACK' },
  },
  CHATS_SET: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.CHATS_SET,
    schema: z.object({
      ...HistorySyncFields,
      chats: z.array(
        z.object({
          jid: z.string().describe('The chat, named like a message key’s remoteJid'),
          jidAlt: z.string().nullable().describe('The contact’s LID when jid is its number'),
          name: z.string().nullable().describe('The chat’s name on the phone (a saved contact name, or a group’s subject)'),
          unreadCount: z.number().int(),
          archived: z.boolean(),
          pinned: z.boolean(),
          mutedUntil: z.string().nullable().describe('ISO 8601, when muted'),
          markedUnread: z.boolean().describe('Marked unread by hand on the phone'),
          lastMessageTimestamp: z.number().int().nullable().describe('Unix seconds of the newest message'),
        }),
      ),
    }),
    example: {
      syncType: 'INITIAL_BOOTSTRAP',
      progress: 10,
      chats: [{ jid: '919999999999@s.whatsapp.net', jidAlt: '123456789012345@lid', name: 'Alice (Acme)', unreadCount: 2, archived: false, pinned: false, mutedUntil: null, markedUnread: false, lastMessageTimestamp: 1735600000 }],
    },
  },
  CHATS_UPDATE: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.CHATS_UPDATE,
    schema: z.object({
      chats: z.array(
        z.object({
          jid: z.string().describe('The chat, named like a message key’s remoteJid'),
          jidAlt: z.string().nullable().describe('The contact’s LID when jid is its number'),
          unreadCount: z.number().int().describe('Marking a chat read sets it to 0'),
          archived: z.boolean(),
          pinned: z.boolean(),
          mutedUntil: z.string().nullable().describe('ISO 8601 while muted (9999-12-31T23:59:59.000Z: muted with no end); null when not muted'),
          markedUnread: z.boolean().describe('Marked unread by hand (chat/markChatUnread or on the phone); reading the chat clears it'),
        }),
      ),
    }),
    example: { chats: [{ jid: '919999999999@s.whatsapp.net', jidAlt: '123456789012345@lid', unreadCount: 0, archived: true, pinned: false, mutedUntil: null, markedUnread: false }] },
  },
  CHATS_DELETE: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.CHATS_DELETE,
    schema: z.object({ chats: z.array(z.object({ jid: z.string(), jidAlt: z.string().nullable() })) }),
    example: { chats: [{ jid: '919999999999@s.whatsapp.net', jidAlt: '123456789012345@lid' }] },
  },
  CONTACTS_SET: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.CONTACTS_SET,
    schema: z.object({
      ...HistorySyncFields,
      contacts: z.array(
        z.object({
          jid: z.string().describe('<number>@s.whatsapp.net whenever the number is known, else the LID'),
          lid: z.string().nullable(),
          phoneNumber: z.string().nullable().describe('Digits only'),
          pushName: z.string().nullable().describe('The name the contact gave itself on WhatsApp'),
          savedName: z.string().nullable().describe('The name saved for the contact on the phone'),
          verifiedName: z.string().nullable().describe('A business’s verified name'),
          updatedAt: z.string(),
        }),
      ),
    }),
    example: {
      syncType: 'PUSH_NAME',
      progress: 100,
      contacts: [{ jid: '919999999999@s.whatsapp.net', lid: '123456789012345@lid', phoneNumber: '919999999999', pushName: 'Alice', savedName: null, verifiedName: null, updatedAt: '2025-01-01T00:00:00.000Z' }],
    },
  },
  CONNECTION_UPDATE: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.CONNECTION_UPDATE,
    schema: z.object({
      state: z.enum(['open', 'connecting', 'close']),
      statusReason: z.number().int().optional().describe('200 when opened; WhatsApp’s disconnect code otherwise (401: logged out)'),
      reason: z.string().optional().describe('Why it closed, in words'),
      wuid: z.string().nullable().optional().describe('When opened: the paired WhatsApp account'),
      profileName: z.string().nullable().optional(),
    }),
    example: { state: 'open', statusReason: 200, wuid: '15551110000:12@s.whatsapp.net', profileName: 'Acme Support' },
  },
  QRCODE_UPDATED: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.QRCODE_UPDATED,
    schema: z.object({
      qrcode: z.object({
        instance: z.string(),
        code: z.string().nullable().describe('The raw QR string'),
        base64: z.string().nullable().describe('PNG data URL of the QR code'),
        pairingCode: z.string().nullable(),
        count: z.number().int(),
      }),
    }),
    example: { qrcode: { instance: 'acme-prod', code: '2@y8Kq3lG0iFQ…', base64: 'data:image/png;base64,iVBORw0KGgo…', pairingCode: null, count: 1 } },
  },
  GROUPS_UPSERT: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.GROUPS_UPSERT,
    schema: z.object({
      groups: z
        .array(GroupInfo.extend({ author: z.string().nullable().describe('Who created the group or added the instance') }))
        .describe('Each group as GET group/findGroupInfos answers, members included: by phone-number JID whenever known, with their LID beside it'),
    }),
    example: {
      groups: [
        {
          id: '120363012345678901@g.us',
          subject: 'Acme customers',
          subjectOwner: '919999999999@s.whatsapp.net',
          subjectTime: 1735689600,
          owner: '919999999999@s.whatsapp.net',
          creation: 1735689600,
          desc: null,
          descId: null,
          size: 2,
          announce: false,
          restrict: false,
          joinApprovalMode: false,
          memberAddMode: false,
          ephemeralDuration: 0,
          addressingMode: 'lid',
          isCommunity: false,
          linkedParent: null,
          participants: [
            { id: '919999999999@s.whatsapp.net', phoneNumber: '919999999999@s.whatsapp.net', lid: '100000000000011@lid', admin: 'superadmin' },
            { id: '15551110000@s.whatsapp.net', phoneNumber: '15551110000@s.whatsapp.net', lid: '100000000000012@lid', admin: null },
          ],
          author: '919999999999@s.whatsapp.net',
        },
      ],
    },
  },
  GROUP_UPDATE: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.GROUP_UPDATE,
    schema: z.object({
      groups: z
        .array(
          z
            .object({
              id: z.string().describe('The group'),
              author: z.string().nullable().describe('Who changed it (the number JID when known)'),
              subject: z.string().optional(),
              desc: z.string().nullable().optional().describe('The new description; null when it was removed'),
              announce: z.boolean().optional(),
              restrict: z.boolean().optional(),
              joinApprovalMode: z.boolean().optional(),
              memberAddMode: z.boolean().optional(),
              inviteCode: z.string().optional(),
            })
            .catchall(z.unknown()),
        )
        .describe('What changed in each group, with its id; fields as in GROUPS_UPSERT'),
    }),
    example: { groups: [{ id: '120363012345678901@g.us', author: '919999999999@s.whatsapp.net', subject: 'Acme VIP customers' }] },
  },
  GROUP_PARTICIPANTS_UPDATE: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.GROUP_PARTICIPANTS_UPDATE,
    schema: z.object({
      id: z.string().describe('The group'),
      author: z.string().nullable().describe('Who did it (the number JID when known); for `remove`, the member themselves when they left'),
      action: z.enum(['add', 'remove', 'promote', 'demote', 'modify']).describe('add, remove (or left), promote, demote; modify: a member changed number'),
      participants: z.array(z.string()).describe('The members concerned: the number JID whenever known, else the LID'),
      participantsData: z.array(GroupMember).describe('The same members with both identities, as far as known'),
    }),
    example: {
      id: '120363012345678901@g.us',
      author: '15551110000@s.whatsapp.net',
      action: 'add',
      participants: ['919999999999@s.whatsapp.net'],
      participantsData: [{ id: '919999999999@s.whatsapp.net', phoneNumber: '919999999999@s.whatsapp.net', lid: '100000000000011@lid', admin: null }],
    },
  },
  CALL: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.CALL,
    schema: z.object({
      id: z.string().describe('The call id: the same in every event of one call'),
      status: z.enum(['offer', 'accept', 'reject', 'timeout', 'terminate']).describe('offer: it rings; accept / reject: answered or declined on one of the account’s devices; timeout: nobody answered; terminate: it ended'),
      from: z.string().describe('The caller: <number>@s.whatsapp.net (or a …@lid)'),
      callerPn: z.string().nullable().describe('The caller’s phone-number jid when WhatsApp gives one for a …@lid caller'),
      chatId: z.string(),
      isVideo: z.boolean(),
      isGroup: z.boolean(),
      groupJid: z.string().nullable().describe('Group calls: the group'),
      offline: z.boolean().describe('The call rang while the instance was offline (delivered late)'),
      date: z.string().describe('When WhatsApp sent it, ISO 8601'),
      rejectedByInstance: z.boolean().optional().describe('On the reject this instance made because of its rejectCall setting'),
    }),
    example: {
      id: '8E3C1F5A9B2D4C6E8A0B1C2D3E4F5A6B',
      status: 'offer',
      from: '919999999999@s.whatsapp.net',
      callerPn: null,
      chatId: '919999999999@s.whatsapp.net',
      isVideo: false,
      isGroup: false,
      groupJid: null,
      offline: false,
      date: '2025-01-01T09:30:00.000Z',
    },
  },
  PRESENCE_UPDATE: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.PRESENCE_UPDATE,
    schema: z.object({
      id: z.string().describe('The chat: the contact (<number>@s.whatsapp.net whenever the instance knows the number, else its …@lid), or the group'),
      presences: z
        .record(
          z.string(),
          z.object({
            lastKnownPresence: z.enum(['available', 'unavailable', 'composing', 'recording', 'paused']).describe('available: online, or stopped typing; unavailable: offline; composing: typing; recording: recording audio'),
            lastSeen: z.string().nullable().describe('With unavailable, when last seen (ISO 8601), if the contact shares it'),
          }),
        )
        .describe('By who it concerns, named like id: the contact itself, or in a group the member typing'),
    }),
    example: { id: '919999999999@s.whatsapp.net', presences: { '919999999999@s.whatsapp.net': { lastKnownPresence: 'composing', lastSeen: null } } },
  },
  INSTANCE_HEALTH: {
    description: WEBHOOK_EVENT_DESCRIPTIONS.INSTANCE_HEALTH,
    schema: z.object({
      state: z.enum(['paused', 'resumed']).describe('paused: the instance stopped sending (held sends wait); resumed: it sends again'),
      reason: z.enum(PAUSE_REASONS).nullable().describe('Why it paused (null on resume): rate_overlimit, sends_refused, undelivered, temp_banned, forbidden; see “Keeping your number safe”'),
      message: z.string().describe('The same in words'),
      statusCode: z.enum(INSTANCE_STATUS_CODES).describe('The instance’s status code after the change: send_paused, banned, or back to open'),
      pausedAt: z.string().nullable().describe('When sending stopped, ISO 8601 (null on resume)'),
      ban: z.object({ code: z.string().nullable(), expiresInSeconds: z.number().int().nullable() }).optional().describe('temp_banned: WhatsApp’s ban code and the seconds left, as it gave them'),
    }),
    example: {
      state: 'paused',
      reason: 'rate_overlimit',
      message: 'WhatsApp answered "rate-overlimit" (429): the number is sending faster than WhatsApp allows. Sending is paused; held messages wait until you resume.',
      statusCode: 'send_paused',
      pausedAt: '2025-01-01T09:30:00.000Z',
    },
  },
  WEBHOOK_TEST: {
    description: 'A test event you sent from the Webhooks page or POST /api/v1/webhooks/{id}/test',
    schema: z.object({ message: z.string() }),
    example: { message: 'This is a test event from SAGE-API. If you can read it, your endpoint works.' },
  },
}

export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENT_DATA) as (EventType | 'WEBHOOK_TEST')[]

/** The body of every delivery. */
export function webhookPayloadSchema(data: z.ZodType = z.unknown()) {
  return z.object({
    event: z.string().describe('The event type'),
    instance: z.string().describe('The instance it happened on'),
    sandbox: z.literal(true).optional().describe('Present (true) only on a sandbox instance’s events'),
    data,
    id: z.string().describe('Unique per event: de-duplicate on it (delivery is at least once)'),
    timestamp: z.string().describe('When the event happened, ISO 8601'),
  })
}

export function webhookPayloadExample(event: keyof typeof WEBHOOK_EVENT_DATA, instanceName = 'acme-prod') {
  const { example } = WEBHOOK_EVENT_DATA[event]
  return { event, instance: instanceName, data: example, id: '1042', timestamp: '2025-01-01T00:00:00.000Z' }
}

export const WEBHOOK_HEADERS = [
  { name: 'X-Sage-Signature', example: 'sha256=<hex>', description: 'HMAC-SHA256(secret, "{timestamp}.{raw_body}") in hex, prefixed with sha256=' },
  { name: 'X-Sage-Timestamp', example: '1715234567', description: 'Unix seconds of this attempt; part of what is signed, so a replay is detectable' },
  { name: 'X-Sage-Instance', example: 'acme-prod', description: 'The instance the event is about' },
  { name: 'X-Sage-Event', example: 'MESSAGES_UPSERT', description: 'The event type' },
  { name: 'X-Sage-Delivery', example: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f', description: 'Unique per event and endpoint, the same on every retry and resend' },
  {
    name: 'X-Sage-Signature-Previous',
    example: 'sha256=<hex>',
    description: 'Only for 24 h after a secret rotation: the same signature made with the previous secret',
  },
] as const

/** The Node 18+ snippet of /docs#webhook-signatures; customers copy it, so it changes only with the signature format. */
export const VERIFY_NODE = `import crypto from 'node:crypto';

export function verifySageWebhook(req, secret) {
  const ts = req.headers['x-sage-timestamp'];
  const sig = req.headers['x-sage-signature'];
  if (!ts || !sig?.startsWith('sha256=')) return false;
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false; // 5-min replay window

  const expected = crypto
    .createHmac('sha256', secret)
    .update(\`\${ts}.\${req.rawBody}\`) // raw body — NOT a JSON.parse round-trip
    .digest('hex');

  return crypto.timingSafeEqual(
    Buffer.from(sig.slice(7), 'hex'),
    Buffer.from(expected, 'hex'),
  );
}`

/** The Python 3.10+ snippet of /docs#webhook-signatures; customers copy it, so it changes only with the signature format. */
export const VERIFY_PYTHON = `import hmac, hashlib, time

def verify_sage_webhook(headers, raw_body, secret) -> bool:
    ts = headers.get("x-sage-timestamp")
    sig = headers.get("x-sage-signature", "")
    if not ts or not sig.startswith("sha256="):
        return False
    if abs(time.time() - int(ts)) > 300:
        return False
    mac = hmac.new(
        secret.encode(),
        f"{ts}.{raw_body.decode() if isinstance(raw_body, bytes) else raw_body}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return hmac.compare_digest(mac, sig[7:])`
