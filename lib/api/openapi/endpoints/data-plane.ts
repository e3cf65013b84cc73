// The data plane, /api/v1/instance/{name}/…: one entry per route handler, with the schemas the route validates with.
import { z } from 'zod'
import { ConnectQuery, ConnectResponse, ConnectionStateResponse, ResumeResponse } from '@/lib/api/schemas/instances-data-plane'
import {
  CancelMessageResponse,
  DeleteForEveryoneBody,
  ForwardMessageBody,
  LidQuery,
  LidResponse,
  MarkAsReadBody,
  MessageDetails,
  MessageResponse,
  SendContactBody,
  SendLocationBody,
  SendMediaBody,
  SendPollBody,
  SendReactionBody,
  SendStickerBody,
  SendWhatsAppAudioBody,
  SendTextBody,
  ScheduledListQuery,
  ScheduledListResponse,
  UpdateMessageBody,
  WhatsappNumbersBody,
} from '@/lib/api/schemas/messages'
import type { ErrorCode } from '@/lib/api/errors'
import type { Endpoint, ExampleContext, ExampleRequest } from '../types'

const SEND_ERRORS = ['instance_not_connected', 'not_on_whatsapp', 'whatsapp_error', 'unavailable', 'timeout'] as const

const SENT_DESCRIPTION =
  'WhatsApp accepted the message: `status` is `SERVER_ACK`. With `delay`, the answer comes as soon as the worker accepted the send (`status` `PENDING`); with `sendAt`, at once (`status` `SCHEDULED`, and `sendAt`). Follow it with GET messages/{id} or the SEND_MESSAGE_UPDATE webhook.'

const SEND_NOTE =
  'Send an `Idempotency-Key` header to make retries safe: the same key and body within 24 h replays the first answer and sends nothing again. With `sendAt` the message is scheduled (up to 30 days ahead) and sent once at that time by the worker holding the instance, across restarts; if the instance is not connected then, it goes out as soon as it is (GET chat/scheduled says why it waits).'

const jid = (number: string) => `${number}@s.whatsapp.net`
const sentKey = (context: ExampleContext, id = context.sentMessageId) => ({ remoteJid: jid(context.number), fromMe: true, id })

const EXAMPLE_NUMBER = '919876543210'
const EXAMPLE_ID = '3EB0C431C26A1916E07A'

/** restart and logout: a POST without a body that answers with the instance's state afterwards. */
function stateChangeEndpoint(input: {
  id: string
  path: string
  summary: string
  description: string
  responseDescription: string
  stateAfter: 'connecting' | 'close'
}): Endpoint {
  return {
    id: input.id,
    group: 'instance',
    method: 'POST',
    path: input.path,
    summary: input.summary,
    description: input.description,
    auth: 'instanceKey',
    response: {
      status: 200,
      description: input.responseDescription,
      schema: ConnectionStateResponse,
      example: { instance: { instanceName: 'acme-prod', state: input.stateAfter } },
    },
    errors: ['unavailable', 'timeout'],
    example: () => ({}),
  }
}

/** The message/send* endpoints: a POST whose 201 is the message WhatsApp accepted, shown with `message` as its example content. */
function sendEndpoint(
  input: Pick<Endpoint, 'id' | 'path' | 'summary' | 'body' | 'bodyParsedInHandler' | 'multipart'> & {
    /** Said before SEND_NOTE, which every send ends with. */
    lead?: string
    message: Record<string, unknown>
    /** The accepted message's own id, when the example shows another message's key too. */
    sentId?: string
    moreErrors?: ErrorCode[]
    example: (context: ExampleContext) => ExampleRequest
  },
): Endpoint {
  const { lead, message, sentId = EXAMPLE_ID, moreErrors = [], ...endpoint } = input
  return {
    ...endpoint,
    group: 'messages',
    method: 'POST',
    description: lead ? `${lead} ${SEND_NOTE}` : SEND_NOTE,
    auth: 'instanceKey',
    response: {
      status: 201,
      description: SENT_DESCRIPTION,
      schema: MessageResponse,
      example: { key: { remoteJid: jid(EXAMPLE_NUMBER), fromMe: true, id: sentId }, message, messageTimestamp: 1735689600, status: 'SERVER_ACK' },
    },
    errors: [...SEND_ERRORS, ...moreErrors],
  }
}

export const WhatsappNumbersResponse = z.array(
  z.object({
    number: z.string().describe('The number as asked'),
    exists: z.boolean().describe('Whether it has a WhatsApp account'),
    jid: z.string().nullable().describe('Its chat id, to use as remoteJid'),
  }),
)

export const MarkAsReadResponse = z.object({ read: z.number().int().describe('How many messages were marked as read') })

/** GET messages/{id}'s example, also the base of the answers that return a message's details. */
const SENT_MESSAGE_EXAMPLE = {
  key: { remoteJid: jid(EXAMPLE_NUMBER), fromMe: true, id: EXAMPLE_ID },
  message: { extendedTextMessage: { text: 'Hello from SAGE-API!' } },
  messageTimestamp: 1735689600,
  status: 'READ',
  messageType: 'extendedTextMessage',
  pushName: null,
  statusHistory: [
    { status: 'PENDING', at: '2025-01-01T00:00:00.120Z' },
    { status: 'SERVER_ACK', at: '2025-01-01T00:00:00.410Z' },
    { status: 'DELIVERY_ACK', at: '2025-01-01T00:00:01.020Z' },
    { status: 'READ', at: '2025-01-01T00:00:09.800Z' },
  ],
  error: null,
  media: null,
  editedAt: null,
  editHistory: [],
  deletedAt: null,
}
const DELIVERED_MESSAGE_EXAMPLE = {
  ...SENT_MESSAGE_EXAMPLE,
  status: 'DELIVERY_ACK',
  statusHistory: SENT_MESSAGE_EXAMPLE.statusHistory.slice(0, 3),
}

export const DATA_PLANE_ENDPOINTS: Endpoint[] = [
  {
    id: 'connection-state',
    group: 'instance',
    method: 'GET',
    path: '/api/v1/instance/{name}/connectionState',
    summary: 'Get the connection state',
    description: '`open`: paired and connected; `connecting`: pairing or reconnecting; `close`: not paired (call connect).',
    auth: 'instanceKey',
    response: {
      status: 200,
      description: 'The instance and its state.',
      schema: ConnectionStateResponse,
      example: { instance: { instanceName: 'acme-prod', state: 'open' } },
    },
    errors: [],
    example: () => ({}),
  },
  {
    id: 'connect',
    group: 'instance',
    method: 'GET',
    path: '/api/v1/instance/{name}/connect',
    summary: 'Pair: get a QR code or a pairing code',
    description:
      'Starts pairing and answers with the current QR code: `code` is the raw QR string, `base64` a PNG data URL of it; `count` grows as WhatsApp issues new codes (call again to refresh). With `?number=` you get an 8-character `pairingCode` to type on the phone instead (WhatsApp → Linked devices → Link with phone number). An instance that is already open answers with nulls.',
    auth: 'instanceKey',
    query: ConnectQuery,
    response: {
      status: 200,
      description: 'The QR code, or the pairing code.',
      schema: ConnectResponse,
      example: { code: '2@y8Kq3lG0iFQ…', base64: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA…', pairingCode: null, count: 1 },
    },
    errors: ['unavailable', 'timeout'],
    example: () => ({}),
  },
  stateChangeEndpoint({
    id: 'restart',
    path: '/api/v1/instance/{name}/restart',
    summary: 'Restart the connection',
    description: 'Reconnects with the stored session: no logout, no new QR.',
    responseDescription: 'The state after the restart.',
    stateAfter: 'connecting',
  }),
  {
    id: 'resume',
    group: 'instance',
    method: 'POST',
    path: '/api/v1/instance/{name}/resume',
    summary: 'Resume sending after an auto-pause',
    description:
      'When WhatsApp signals trouble (rate-overlimit, refused sends, many undelivered messages, a ban-like login refusal) the instance stops sending: `statusCode` turns `send_paused` (or `banned`), an INSTANCE_HEALTH event says why, and sends are held (QUEUED_BY_POLICY, reason `paused`), never dropped. This lifts the pause: the held messages go out, paced by the send policy. A banned instance is connected again. Resuming one that is not paused changes nothing (`resumed: false`). See “Keeping your number safe”.',
    auth: 'instanceKey',
    response: {
      status: 200,
      description: 'The instance after the resume.',
      schema: ResumeResponse,
      example: { instanceName: 'acme-prod', state: 'open', statusCode: 'open', sendPause: null, resumed: true },
    },
    errors: ['unavailable', 'timeout'],
    example: () => ({}),
  },
  stateChangeEndpoint({
    id: 'logout',
    path: '/api/v1/instance/{name}/logout',
    summary: 'Log out (unlink the device)',
    description: 'Unlinks the device from the phone. The instance stays, ready to pair again with connect.',
    responseDescription: 'The instance, now closed.',
    stateAfter: 'close',
  }),
  sendEndpoint({
    id: 'send-text',
    path: '/api/v1/instance/{name}/message/sendText',
    summary: 'Send a text message',
    body: SendTextBody,
    message: { extendedTextMessage: { text: 'Hello from SAGE-API!' } },
    example: (context) => ({ body: { number: context.number, text: 'Hello from SAGE-API!' } }),
  }),
  sendEndpoint({
    id: 'send-media',
    path: '/api/v1/instance/{name}/message/sendMedia',
    summary: 'Send media',
    lead: 'An image, video, audio or document: `media` is an https URL (downloaded by the worker) or base64 data. Larger files go as `multipart/form-data` with the same fields and a `file` part. Limits: images, videos and audio 16 MB, documents 100 MB (base64 inside JSON: 25 MB body).',
    body: SendMediaBody,
    bodyParsedInHandler: true,
    multipart: { fileField: 'file', description: 'The file itself (instead of `media`), with the other fields as form fields.' },
    message: { imageMessage: { mimetype: 'image/jpeg', caption: 'Our new menu' } },
    moreErrors: ['payload_too_large'],
    example: (context) => ({ body: { number: context.number, mediatype: 'image', media: context.mediaUrl, caption: 'Our new menu' } }),
  }),
  sendEndpoint({
    id: 'send-location',
    path: '/api/v1/instance/{name}/message/sendLocation',
    summary: 'Send a location',
    body: SendLocationBody,
    message: { locationMessage: { degreesLatitude: 12.9716, degreesLongitude: 77.5946, name: 'Acme HQ', address: 'MG Road, Bengaluru' } },
    example: (context) => ({ body: { number: context.number, latitude: 12.9716, longitude: 77.5946, name: 'Acme HQ', address: 'MG Road, Bengaluru' } }),
  }),
  sendEndpoint({
    id: 'send-contact',
    path: '/api/v1/instance/{name}/message/sendContact',
    summary: 'Send a contact card',
    lead: 'One contact is sent as a contact card, several as a contacts list.',
    body: SendContactBody,
    message: { contactMessage: { displayName: 'Priya Sharma', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Priya Sharma\n…\nEND:VCARD' } },
    example: (context) => ({
      body: { number: context.number, contact: [{ fullName: 'Priya Sharma', phoneNumber: '+91 98765 43210', organization: 'Acme' }] },
    }),
  }),
  sendEndpoint({
    id: 'send-reaction',
    path: '/api/v1/instance/{name}/message/sendReaction',
    summary: 'React to a message',
    lead: 'Reacts with one emoji to a message in a chat; an empty `reaction` removes yours.',
    body: SendReactionBody,
    sentId: '3EB0A1B2C3D4E5F60718',
    message: { reactionMessage: { key: { remoteJid: jid(EXAMPLE_NUMBER), fromMe: true, id: EXAMPLE_ID }, text: '👍' } },
    example: (context) => ({ body: { key: sentKey(context), reaction: '👍' } }),
  }),
  sendEndpoint({
    id: 'send-sticker',
    path: '/api/v1/instance/{name}/message/sendSticker',
    summary: 'Send a sticker',
    lead: '`sticker` is an https URL (downloaded by the worker) or base64 data. A WebP is sent as it is; a PNG or JPEG is fitted into a 512×512 WebP. Other pictures are 415 `unsupported_media`; over 16 MB is 413 `payload_too_large`.',
    body: SendStickerBody,
    message: { stickerMessage: { mimetype: 'image/webp' } },
    moreErrors: ['invalid_request', 'payload_too_large', 'unsupported_media'],
    example: (context) => ({ body: { number: context.number, sticker: context.mediaUrl } }),
  }),
  sendEndpoint({
    id: 'send-whatsapp-audio',
    path: '/api/v1/instance/{name}/message/sendWhatsAppAudio',
    summary: 'Send a voice note',
    lead:
      '`audio` is an https URL (downloaded by the worker) or base64 data. It arrives as a voice note (a ptt `audioMessage`, the microphone kind) with its length in `seconds` and a 64-bar `waveform`. Ogg/Opus (what WhatsApp records) is sent as it is; MP3, WAV, M4A or any other audio is converted to Ogg/Opus with ffmpeg (`encoding: false` skips the conversion, and then anything but Ogg/Opus is 415). Audio that needs converting on a server without ffmpeg, or that is no audio at all, is 415 `unsupported_media`; over 16 MB is 413 `payload_too_large`.',
    body: SendWhatsAppAudioBody,
    message: { audioMessage: { mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 7 } },
    moreErrors: ['invalid_request', 'payload_too_large', 'unsupported_media'],
    example: (context) => ({ body: { number: context.number, audio: context.audioUrl } }),
  }),
  sendEndpoint({
    id: 'send-poll',
    path: '/api/v1/instance/{name}/message/sendPoll',
    summary: 'Send a poll',
    lead: 'A question with 2–12 options (`values`); `selectableCount` 1 for a single choice, 0 (the default) for any number. Each vote comes as a POLL_VOTE event (and as a MESSAGES_UPDATE) with `pollVote` (who picked what) and `poll` (the tally after it); GET messages/{id} shows the current tally in `poll`, each voter\'s latest vote counted once.',
    body: SendPollBody,
    message: { pollCreationMessageV3: { name: 'Lunch on Friday?', options: [{ optionName: 'Pizza' }, { optionName: 'Sushi' }], selectableOptionsCount: 1 } },
    moreErrors: ['invalid_request'],
    example: (context) => ({ body: { number: context.number, name: 'Lunch on Friday?', values: ['Pizza', 'Sushi'], selectableCount: 1 } }),
  }),
  sendEndpoint({
    id: 'forward-message',
    path: '/api/v1/instance/{name}/message/forward',
    summary: 'Forward a message',
    lead: 'Sends a stored message (one this instance sent or received: text, media, location, contact) to another chat, marked "Forwarded" as WhatsApp\'s apps mark it. Media is forwarded without downloading it again. 404 `not_found` for an unknown or deleted message.',
    body: ForwardMessageBody,
    sentId: '3EB0A1B2C3D4E5F60719',
    message: { extendedTextMessage: { text: 'Hello from SAGE-API!', contextInfo: { forwardingScore: 1, isForwarded: true } } },
    moreErrors: ['not_found', 'invalid_request'],
    example: (context) => ({ body: { number: context.number, key: { id: context.sentMessageId } } }),
  }),
  {
    id: 'get-message',
    group: 'messages',
    method: 'GET',
    path: '/api/v1/instance/{name}/messages/{id}',
    summary: 'Get a message and its status history',
    description:
      'Any message this instance sent or received, by its id (`key.id`). Statuses, in order: `SCHEDULED` (a send with `sendAt`, until its time), `PENDING`, `SERVER_ACK`, `DELIVERY_ACK`, `READ`, `PLAYED`; or `ERROR` (then `error` says why), or `CANCELLED` (a scheduled send called off with DELETE).',
    auth: 'instanceKey',
    response: {
      status: 200,
      description: 'The message, its current status and every status it went through.',
      schema: MessageDetails,
      example: SENT_MESSAGE_EXAMPLE,
    },
    errors: ['not_found'],
    example: (context) => ({ params: { id: context.sentMessageId } }),
  },
  {
    id: 'cancel-message',
    group: 'messages',
    method: 'DELETE',
    path: '/api/v1/instance/{name}/messages/{id}',
    summary: 'Cancel a scheduled send',
    description:
      'Calls off a send made with `sendAt`, by its id (`key.id`), as long as its time has not come: it is never sent, its status becomes `CANCELLED` (SEND_MESSAGE_UPDATE says so). Cancelling again answers the same. Once it is due, on its way or sent: 409 `already_sent`.',
    auth: 'instanceKey',
    response: {
      status: 200,
      description: 'The cancelled send.',
      schema: CancelMessageResponse,
      example: { key: { remoteJid: jid(EXAMPLE_NUMBER), fromMe: true, id: '3EB05D2E8F1A4B6C7D90' }, status: 'CANCELLED' },
    },
    errors: ['not_found', 'already_sent'],
    example: (context) => ({ params: { id: context.scheduledMessageId } }),
  },
  {
    id: 'list-scheduled',
    group: 'chat',
    method: 'GET',
    path: '/api/v1/instance/{name}/chat/scheduled',
    summary: 'List scheduled sends',
    description:
      'The sends made with `sendAt` that have not gone out yet, soonest first, a page at a time. A send whose time has come but which still waits (the instance is not connected, say) has `waiting` saying why.',
    auth: 'instanceKey',
    query: ScheduledListQuery,
    response: {
      status: 200,
      description: 'One page of scheduled sends.',
      schema: ScheduledListResponse,
      example: {
        messages: [
          {
            key: { remoteJid: jid(EXAMPLE_NUMBER), fromMe: true, id: '3EB05D2E8F1A4B6C7D90' },
            message: { conversation: 'Your appointment is tomorrow at 10:00.' },
            status: 'SCHEDULED',
            sendAt: '2025-01-02T09:00:00.000Z',
            waiting: null,
          },
        ],
        nextCursor: null,
      },
    },
    errors: [],
    example: () => ({ query: { limit: '20' } }),
  },
  {
    id: 'get-message-media',
    group: 'messages',
    method: 'GET',
    path: '/api/v1/instance/{name}/messages/{id}/media',
    summary: 'Download a message’s media',
    description:
      'The decrypted file of an image, video, audio, document or sticker message, with its mimetype as Content-Type. Received media is announced in the MESSAGES_UPSERT webhook as `data.media.url`.',
    auth: 'instanceKey',
    response: { status: 200, description: 'The file, with its mimetype as Content-Type.', contentType: 'application/octet-stream' },
    errors: ['not_found', 'whatsapp_error'],
    example: (context) => ({ params: { id: context.mediaMessageId } }),
  },
  {
    id: 'update-message',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/updateMessage',
    summary: 'Edit a sent message',
    description:
      'Replaces the text of a message this instance sent (or the caption of its image, video or document), as WhatsApp\'s "Edit" does: the recipient sees the new text marked "Edited". WhatsApp allows this for 15 minutes after sending: later is 409 `edit_window_closed`. Someone else\'s message is 403 `forbidden`. The answer is the message as GET messages/{id} shows it, the old text in `editHistory`; a MESSAGES_UPDATE event follows.',
    auth: 'instanceKey',
    body: UpdateMessageBody,
    response: {
      status: 200,
      description: 'The edited message.',
      schema: MessageDetails,
      example: {
        ...DELIVERED_MESSAGE_EXAMPLE,
        message: { extendedTextMessage: { text: 'Hello again from SAGE-API!' } },
        editedAt: '2025-01-01T00:03:00.000Z',
        editHistory: [{ message: { extendedTextMessage: { text: 'Hello from SAGE-API!' } }, messageType: 'extendedTextMessage', replacedAt: '2025-01-01T00:03:00.050Z' }],
      },
    },
    errors: ['invalid_request', 'forbidden', 'not_found', 'edit_window_closed', 'instance_not_connected', 'whatsapp_error', 'timeout'],
    example: (context) => ({ body: { number: context.number, key: sentKey(context), text: 'Hello again from SAGE-API!' } }),
  },
  {
    id: 'delete-message-for-everyone',
    group: 'chat',
    method: 'DELETE',
    path: '/api/v1/instance/{name}/chat/deleteMessageForEveryone',
    summary: 'Delete a message for everyone',
    description:
      'Deletes a message for everyone in the chat, as WhatsApp\'s "Delete for everyone" does: a message this instance sent, or, in a group this instance is an admin of, anyone\'s (403 `not_group_admin` when it is not; someone else\'s message in a 1:1 chat is 403 `forbidden`). The body is the message\'s key. The answer is the message with `deletedAt` set; a MESSAGES_DELETE event follows.',
    auth: 'instanceKey',
    body: DeleteForEveryoneBody,
    response: {
      status: 200,
      description: 'The deleted message.',
      schema: MessageDetails,
      example: { ...DELIVERED_MESSAGE_EXAMPLE, deletedAt: '2025-01-01T00:05:00.000Z' },
    },
    errors: ['forbidden', 'not_group_admin', 'not_found', 'instance_not_connected', 'whatsapp_error', 'timeout'],
    example: (context) => ({ body: sentKey(context) }),
  },
  {
    id: 'whatsapp-numbers',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/whatsappNumbers',
    summary: 'Check which numbers have WhatsApp',
    auth: 'instanceKey',
    body: WhatsappNumbersBody,
    response: {
      status: 200,
      description: 'One entry per number, in the order asked.',
      schema: WhatsappNumbersResponse,
      example: [{ number: EXAMPLE_NUMBER, exists: true, jid: jid(EXAMPLE_NUMBER) }],
    },
    errors: ['instance_not_connected', 'timeout'],
    example: (context) => ({ body: { numbers: [context.number] } }),
  },
  {
    id: 'chat-lid',
    group: 'chat',
    method: 'GET',
    path: '/api/v1/instance/{name}/chat/lid',
    summary: 'Find a contact’s LID, or the number behind a LID',
    description:
      'WhatsApp addresses more and more contacts by a LID (`<digits>@lid`) instead of their number. Webhooks show the number in `remoteJid` whenever the instance knows it, with the LID in `remoteJidAlt`. Give `?number=` for the LID, or `?lid=` for the number. Answers from what this instance has learnt (messages, number checks), also while it is disconnected; 404 `not_found` when it has not learnt the other identity.',
    auth: 'instanceKey',
    query: LidQuery,
    response: {
      status: 200,
      description: 'Both identities of the contact.',
      schema: LidResponse,
      example: { number: EXAMPLE_NUMBER, jid: jid(EXAMPLE_NUMBER), lid: '100000000000001@lid' },
    },
    errors: ['not_found'],
    example: (context) => ({ query: { number: context.number } }),
  },
  {
    id: 'mark-as-read',
    group: 'chat',
    method: 'POST',
    path: '/api/v1/instance/{name}/chat/markMessageAsRead',
    summary: 'Mark messages as read',
    description: 'Sends read receipts (the blue ticks) for messages this instance received. Their chats\' unread counts go to 0, and a chat marked unread (chat/markChatUnread, or on the phone) is marked read on the phone and the account\'s other devices too, as WhatsApp Web does when you open it.',
    auth: 'instanceKey',
    body: MarkAsReadBody,
    response: { status: 200, description: 'How many were marked.', schema: MarkAsReadResponse, example: { read: 1 } },
    errors: ['instance_not_connected', 'timeout'],
    example: (context) => ({
      body: { readMessages: [{ remoteJid: jid(context.receivedFrom), fromMe: false, id: context.receivedMessageId }] },
    }),
  },
]
