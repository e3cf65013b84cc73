// The sandbox control API, /api/v1/instance/{name}/sandbox/…: what the contacts of a sandbox instance do.
import {
  SandboxCallResponse,
  SandboxCallsBody,
  SandboxContactsBody,
  SandboxContactsResponse,
  SandboxDisconnectBody,
  SandboxOk,
  SandboxReceiptsBody,
  SandboxReceiveBody,
  SandboxReceiveResponse,
} from '@/lib/api/schemas/sandbox'
import type { Endpoint } from '../types'

const ERRORS = ['not_found', 'instance_not_connected', 'rate_limited', 'unavailable'] as const

export const SANDBOX_ENDPOINTS: Endpoint[] = [
  {
    id: 'sandbox-contacts',
    group: 'sandbox',
    method: 'POST',
    path: '/api/v1/instance/{name}/sandbox/contacts',
    summary: 'Make contacts in the sandbox',
    description:
      'Contacts are phones of your account’s sandbox world: the same number in another account’s sandbox is another phone. `onWhatsApp: false` makes a number without WhatsApp; `addressing: lid` a contact that writes LID-addressed.',
    auth: 'instanceKey',
    body: SandboxContactsBody,
    response: {
      status: 200,
      description: 'The contacts, in the order given.',
      schema: SandboxContactsResponse,
      example: { contacts: [{ number: '15550000001', jid: '15550000001@s.whatsapp.net', lid: '100000000000001@lid', onWhatsApp: true }] },
    },
    errors: [...ERRORS],
    example: (context) => ({ params: { name: context.sandboxInstance }, body: { contacts: [{ number: context.sandboxContact, name: 'Alice' }] } }),
  },
  {
    id: 'sandbox-receive',
    group: 'sandbox',
    method: 'POST',
    path: '/api/v1/instance/{name}/sandbox/receive',
    summary: 'A contact sends the instance a message',
    description:
      'Exactly one of `text`, `media`, `location`, `reaction`, `edit`, `delete` or `vote`. The instance receives it over WhatsApp’s protocol like any message: MESSAGES_UPSERT (or MESSAGES_UPDATE, MESSAGES_DELETE) webhooks follow. A `vote` names a poll the instance sent the contact (`message/sendPoll`) and the options picked by name; it arrives encrypted as a phone sends it and is announced as MESSAGES_UPDATE with `pollVote`, and the poll’s tally (`GET …/messages/{id}`) counts it. A sandbox service that is down or out of reach gives `503 unavailable` on every sandbox endpoint (retry shortly), never a 500.',
    auth: 'instanceKey',
    body: SandboxReceiveBody,
    response: { status: 200, description: 'The contact’s phone sent it.', schema: SandboxReceiveResponse, example: { id: '3A5F1C0D2B7E9A41C6D8' } },
    errors: ['invalid_request', ...ERRORS],
    example: (context) => ({ params: { name: context.sandboxInstance }, body: { from: context.sandboxContact, text: 'Is my order ready?' } }),
  },
  {
    id: 'sandbox-receipts',
    group: 'sandbox',
    method: 'POST',
    path: '/api/v1/instance/{name}/sandbox/receipts',
    summary: 'A contact’s phone sends receipts',
    description:
      'By default a contact’s phone confirms delivery after 0.3 s and reading after 1 s. `never` stops that for the contact, so your test sends `delivery`, `read` or `played` for the message ids it chooses; `auto` turns it back on.',
    auth: 'instanceKey',
    body: SandboxReceiptsBody,
    response: { status: 200, description: 'Sent (or the contact’s behaviour changed).', schema: SandboxOk, example: { ok: true } },
    errors: ['invalid_request', ...ERRORS],
    example: (context) => ({ params: { name: context.sandboxInstance }, body: { from: context.sandboxContact, type: 'never' } }),
  },
  {
    id: 'sandbox-disconnect',
    group: 'sandbox',
    method: 'POST',
    path: '/api/v1/instance/{name}/sandbox/disconnect',
    summary: 'Drop the connection, log out from the phone, or ban the number',
    description:
      '`connection_lost`: the instance sees the connection close and reconnects by itself (CONNECTION_UPDATE `connecting`, then `open`). `logged_out`: the phone removes the linked device; the instance is logged out (`state: close`, `statusCode: logged_out`, CONNECTION_UPDATE `close`) and needs linking again (GET …/connect; its sandbox phone links itself). `banned`: a temporary ban for `banSeconds` (default 60): the connection drops and every login is refused with 402 until the ban ends; the instance keeps retrying and reconnects after it.',
    auth: 'instanceKey',
    body: SandboxDisconnectBody,
    response: { status: 200, description: 'Done.', schema: SandboxOk, example: { ok: true } },
    errors: [...ERRORS],
    example: (context) => ({ params: { name: context.sandboxInstance }, body: { reason: 'connection_lost' } }),
  },
  {
    id: 'sandbox-calls',
    group: 'sandbox',
    method: 'POST',
    path: '/api/v1/instance/{name}/sandbox/calls',
    summary: 'A contact calls the instance',
    description: 'The instance gets the call offer (CALL webhook, and the instance’s call settings apply: rejectCall, msgCall).',
    auth: 'instanceKey',
    body: SandboxCallsBody,
    response: { status: 200, description: 'The call was placed.', schema: SandboxCallResponse, example: { id: '4A3B2C1D0E9F8A7B6C5D4E3F2A1B0C9D' } },
    errors: [...ERRORS],
    example: (context) => ({ params: { name: context.sandboxInstance }, body: { from: context.sandboxContact } }),
  },
]
