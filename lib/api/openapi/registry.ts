// Every /api/v1 endpoint, once: the docs page, /api/v1/openapi.json and the docs tests read this.
// A new route handler needs an entry here (the tests compare it with the route files).
import { ERROR_CODES, type ErrorCode } from '@/lib/api/errors'
import { ACCOUNT_ENDPOINTS } from './endpoints/account'
import { DATA_PLANE_ENDPOINTS } from './endpoints/data-plane'
import { WEBHOOK_API_ENDPOINTS } from './endpoints/webhooks'
import { INSTANCE_SETTINGS_ENDPOINTS } from './endpoints/instance-settings'
import { PLATFORM_ENDPOINTS } from './endpoints/platform'
import { GROUP_ENDPOINTS } from './endpoints/groups'
import { CHAT_READ_ENDPOINTS } from './endpoints/chats'
import { CHAT_SETTINGS_ENDPOINTS } from './endpoints/chat-settings'
import { PRESENCE_PROFILE_ENDPOINTS } from './endpoints/presence'
import { SANDBOX_ENDPOINTS } from './endpoints/sandbox'
import type { AuthKind, Endpoint, ExampleContext, GroupId } from './types'

export type { Endpoint, ExampleContext } from './types'

export const ENDPOINTS: Endpoint[] = [...DATA_PLANE_ENDPOINTS, ...CHAT_READ_ENDPOINTS, ...CHAT_SETTINGS_ENDPOINTS, ...PRESENCE_PROFILE_ENDPOINTS, ...GROUP_ENDPOINTS, ...SANDBOX_ENDPOINTS, ...INSTANCE_SETTINGS_ENDPOINTS, ...WEBHOOK_API_ENDPOINTS, ...PLATFORM_ENDPOINTS, ...ACCOUNT_ENDPOINTS]

export const GROUPS: { id: GroupId; title: string; description: string }[] = [
  { id: 'messages', title: 'Messages', description: 'Send text, media, locations, contact cards and reactions; read a message and its status.' },
  { id: 'chat', title: 'Chat', description: 'Check numbers and send read receipts.' },
  {
    id: 'groups',
    title: 'Groups',
    description:
      'Create groups, list them and their members, add and remove people, change the name, description, picture and settings, share and revoke invite links, join by link, and handle requests to join. Changes need the instance to be an admin of the group (403 `not_group_admin` otherwise); a group the instance is not in is 404 `group_not_found`. To send to a group, use its JID as `number` in the message endpoints.',
  },
  {
    id: 'sandbox',
    title: 'Sandbox',
    description:
      'Play the other side of a sandbox instance (created with `sandbox: true`) in your tests: make contacts, have them send messages, receipts and calls, and drop the connection. Sandbox instances connect to a simulated WhatsApp of your account only; nothing reaches a real phone. Real instances answer 404 `not_found`. Limits: 429 `rate_limited` with `details: {limit, max}` — `sandbox_instances` (5 per account), `sandbox_messages_per_minute` (60 per instance, sent and received) and `sandbox_media_bytes` (5 MB). See the guide “Test your integration in CI”.',
  },
  { id: 'instance', title: 'Instance', description: 'Pair, watch and control one WhatsApp account.' },
  {
    id: 'webhooks',
    title: 'Webhook endpoints',
    description:
      'Manage where events go, with an account key or an instance key that is not pinned to instances (every key could, before account keys existed). A key pinned to instances gets 403 `insufficient_scope`: an endpoint may receive every instance’s events.',
  },
  {
    id: 'platform',
    title: 'Instances and keys (account key)',
    description:
      'Create, pair and delete instances and mint their keys from your own code, with an account key (scope `account`). Instance keys get 403 `insufficient_scope` here.',
  },
  {
    id: 'events',
    title: 'Event log',
    description:
      'Every recorded event in one order, kept 7 days: page through it, or stream it live over server-sent events or a WebSocket, and resume after the last event you have, so a consumer that was down misses nothing. A browser opens the stream with a single-use ticket your server mints (`POST /api/v1/events/tickets`), never with your key.',
  },
  {
    id: 'account',
    title: 'Instance management (account plane)',
    description:
      'These endpoints use your session cookie from the dashboard, not a SAGE-API key. They’re meant for dashboard automation; from your servers, prefer the data-plane endpoints above. List + create instances live under `/api/v1/me/instances`.',
  },
  {
    id: 'system',
    title: 'System status',
    description:
      'Public health endpoint for uptime monitors. Always responds 200 — trigger your alert on the body’s `status` field, not the HTTP code (a non-200 here would page the marketing site too).',
  },
]

export const AUTH_LABELS: Record<AuthKind, string> = {
  instanceKey: 'API key',
  key: 'API key',
  accountKey: 'Account key',
  webhookKey: 'Account key or unpinned key',
  session: 'Session cookie',
  verifiedSession: 'Session cookie (verified email)',
  none: 'Public',
}

export function usesApiKey(endpoint: Pick<Endpoint, 'auth'>): boolean {
  return endpoint.auth === 'instanceKey' || endpoint.auth === 'key' || endpoint.auth === 'accountKey' || endpoint.auth === 'webhookKey'
}

export function usesSession(endpoint: Pick<Endpoint, 'auth'>): boolean {
  return endpoint.auth === 'session' || endpoint.auth === 'verifiedSession'
}

/** Every error the endpoint can answer: its own, and what its authentication, body and method add. */
export function errorsOf(endpoint: Endpoint): ErrorCode[] {
  const codes = new Set<ErrorCode>()
  if (endpoint.body) ['invalid_json', 'invalid_request', 'payload_too_large'].forEach((code) => codes.add(code as ErrorCode))
  if (endpoint.query) codes.add('invalid_request')
  if (usesApiKey(endpoint)) ['unauthorized', 'ip_not_allowed', 'rate_limited'].forEach((code) => codes.add(code as ErrorCode))
  if (endpoint.auth === 'instanceKey') ['instance_not_found', 'instance_not_allowed'].forEach((code) => codes.add(code as ErrorCode))
  if (endpoint.auth === 'accountKey' || endpoint.auth === 'webhookKey') codes.add('insufficient_scope')
  if (usesApiKey(endpoint) && endpoint.method === 'POST') codes.add('idempotency_conflict')
  if (usesSession(endpoint)) codes.add('unauthorized')
  if (usesSession(endpoint) && endpoint.method !== 'GET') codes.add('forbidden')
  if (endpoint.auth === 'verifiedSession') codes.add('email_not_verified')
  for (const code of endpoint.errors) codes.add(code)
  codes.add('method_not_allowed')
  codes.add('internal_error')
  return [...codes].sort((a, b) => ERROR_CODES[a].status - ERROR_CODES[b].status || a.localeCompare(b))
}

/** The names of a path's parameters, in order: /api/v1/instance/{name}/messages/{id} → name, id. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1])
}

/** The example request of an endpoint for the given values, with its path filled in. */
export function exampleRequest(endpoint: Endpoint, context: ExampleContext) {
  const example = endpoint.example(context)
  const params: Record<string, string> = { name: context.instance, ...example.params }
  const path = endpoint.path.replace(/\{(\w+)\}/g, (_, param: string) => encodeURIComponent(params[param] ?? `{${param}}`))
  const query = example.query && Object.keys(example.query).length ? `?${new URLSearchParams(example.query)}` : ''
  return { ...example, params, url: `${path}${query}` }
}

/** The values the docs page shows when it knows nothing better. */
export const PLACEHOLDER_CONTEXT: ExampleContext = {
  instance: 'acme-prod',
  number: '919876543210',
  sentMessageId: '3EB0C431C26A1916E07A',
  scheduledMessageId: '3EB05D2E8F1A4B6C7D90',
  receivedMessageId: '3A5F1C0D2B7E9A41C6D8',
  receivedFrom: '919999999999',
  mediaMessageId: '3A5F1C0D2B7E9A41C6D8',
  mediaUrl: 'https://example.com/menu.jpg',
  audioUrl: 'https://example.com/voice.mp3',
  webhookId: '8c1d3f0e-5b7a-4a52-9d0e-2f6b1c4e7a90',
  deliveryId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
  webhookUrl: 'https://example.com/webhooks/sage',
  newInstance: 'acme-eu',
  keyId: '5b2f6a1c-8d3e-4f70-9a1b-2c3d4e5f6a7b',
  exportId: '2d4c6e8a-1b3d-4f5a-8c7e-9a0b1c2d3e4f',
  groupJid: '120363012345678901@g.us',
  memberNumber: '447700900123',
  inviteCode: 'CkKzPq3Lw5H2mB8xYfR1tN',
  sandboxInstance: 'acme-sandbox',
  sandboxContact: '15550000001',
}
