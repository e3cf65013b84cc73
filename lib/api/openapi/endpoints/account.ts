// The account plane (/api/v1/me/…, the dashboard's session cookie) and the public status endpoint.
import { z } from 'zod'
import { CreateInstanceBody, InstanceList, InstanceSummary } from '@/lib/api/schemas/instances'
import type { Endpoint } from '../types'

const Check = z
  .object({
    status: z.enum(['ok', 'degraded', 'down']),
    message: z.string().optional().describe('Why, when not ok'),
  })
  .catchall(z.unknown())

export const StatusResponse = z.object({
  status: z.enum(['ok', 'degraded', 'down']).describe('Alert on this, not on the HTTP status (always 200)'),
  checks: z.record(z.string(), Check).describe('database, workers (with how many are alive), rateLimitStore'),
  version: z.string(),
  whatsappWeb: z
    .object({
      version: z.string().describe('Three dot-separated numbers, like 2.3000.1023456789'),
      source: z
        .enum(['fetched', 'pinned', 'bundled'])
        .describe('`fetched`: read from the version source (`WA_VERSION_URL`, or WhatsApp’s own); `pinned`: set by `WA_VERSION`; `bundled`: the one the WhatsApp library ships, used while the source has never answered'),
      fetchedAt: z.string().nullable().describe('ISO 8601: when the version source last answered (null: never)'),
      updatedAt: z.string().describe('ISO 8601: when a worker last recorded it'),
    })
    .nullable()
    .describe('The WhatsApp Web version the workers announce to WhatsApp at login. Workers read it at start, every 24 h, and again when WhatsApp refuses it as outdated (the instance’s `statusCode` is then `client_outdated`). Null until a worker has started, or while the database is unreachable.'),
  time: z.string().describe('ISO 8601'),
})

export const InstanceDetails = z.object({
  name: z.string(),
  state: z.enum(['open', 'connecting', 'close']),
  phoneNumber: z.string().nullable().describe('The paired WhatsApp number'),
  pushName: z.string().nullable().describe('Its WhatsApp profile name'),
  statusReason: z.string().nullable().describe('Why it is not open, in words'),
  updatedAt: z.string().describe('ISO 8601'),
})

export const InstanceDeleted = z.object({ deleted: z.string().describe('The name of the deleted instance') })

export const OpenApiDocument = z.object({ openapi: z.literal('3.1.0') }).catchall(z.unknown())

export const EXPORT_DESCRIPTION =
  'A download (`sage-export-<date>.jsonl`) of JSON lines, one record a line with its `type`: first `export` (`version`, `email`, `exportedAt`), then every `instance`, `contact`, `chat` and `message` (with its content, status history and media details; the media bytes stay behind `GET …/media`). No secret is in it: no key hashes, WhatsApp credentials, webhook secrets or proxies. It is streamed as it is read, so it starts at once however big the account is.'

export const ACCOUNT_ENDPOINTS: Endpoint[] = [
  {
    id: 'export-own-account',
    group: 'account',
    method: 'GET',
    path: '/api/v1/me/export',
    summary: 'Export your data',
    description: EXPORT_DESCRIPTION,
    auth: 'session',
    response: { status: 200, description: 'The export, as JSON lines.', contentType: 'application/x-ndjson' },
    errors: [],
    example: () => ({}),
  },
  {
    id: 'download-own-export',
    group: 'account',
    method: 'GET',
    path: '/api/v1/me/exports/{id}/download',
    summary: 'Download your background export',
    description: 'The export the Settings page prepared in the background (or `POST /api/v1/export` started), once ready and until it expires: the same JSON lines as `GET /api/v1/me/export`. 409 `export_not_ready` while it is being built.',
    auth: 'session',
    response: { status: 200, description: 'The export, as JSON lines.', contentType: 'application/x-ndjson' },
    errors: ['not_found', 'export_not_ready'],
    example: (context) => ({ params: { id: context.exportId } }),
  },
  {
    id: 'list-instances',
    group: 'account',
    method: 'GET',
    path: '/api/v1/me/instances',
    summary: 'List your instances',
    description: 'Every instance of the signed-in account with its connection state.',
    auth: 'session',
    response: {
      status: 200,
      description: 'The instances, oldest first.',
      schema: InstanceList,
      example: { instances: [{ name: 'acme-prod', state: 'open', createdAt: '2025-01-01T09:30:00.000Z' }] },
    },
    errors: [],
    example: () => ({}),
  },
  {
    id: 'create-instance',
    group: 'account',
    method: 'POST',
    path: '/api/v1/me/instances',
    summary: 'Create an instance',
    description:
      'A new, unpaired instance (one WhatsApp account); pair it with connect. Needs a verified email. Cookie-authenticated writes are refused from other sites (403 `forbidden`).',
    auth: 'verifiedSession',
    body: CreateInstanceBody,
    response: {
      status: 201,
      description: 'The new instance.',
      schema: InstanceSummary,
      example: { name: 'acme-support', state: 'close', createdAt: '2025-01-01T09:30:00.000Z' },
    },
    errors: ['name_taken'],
    example: () => ({ body: { name: 'acme-support' } }),
  },
  {
    id: 'get-instance',
    group: 'account',
    method: 'GET',
    path: '/api/v1/me/instances/{name}',
    summary: 'Get an instance',
    description: 'One instance with its live connection state and the paired WhatsApp account.',
    auth: 'session',
    response: {
      status: 200,
      description: 'The instance.',
      schema: InstanceDetails,
      example: { name: 'acme-prod', state: 'open', phoneNumber: '15551110000', pushName: 'Acme Support', statusReason: null, updatedAt: '2025-01-01T09:30:00.000Z' },
    },
    errors: ['instance_not_found'],
    example: (context) => ({ params: { name: context.instance } }),
  },
  {
    id: 'delete-instance',
    group: 'account',
    method: 'DELETE',
    path: '/api/v1/me/instances/{name}',
    summary: 'Delete an instance',
    description: 'Logs the instance out of WhatsApp (unlinking the device) and deletes it.',
    auth: 'session',
    response: { status: 200, description: 'Deleted.', schema: InstanceDeleted, example: { deleted: 'acme-support' } },
    errors: ['instance_not_found'],
    example: () => ({ params: { name: 'acme-support' } }),
  },
  {
    id: 'instance-events',
    group: 'account',
    method: 'GET',
    path: '/api/v1/me/instances/{name}/events',
    summary: 'Stream an instance’s live state',
    description:
      'Server-sent events for the dashboard: `state` (connection state, with the QR code as a data URL while pairing) and `messages` (the latest messages) whenever they change, `activity` whenever the account records an event (the dashboard’s Inbox re-reads on it), `gone` when the instance is deleted. The stream ends after 10 minutes; EventSource reconnects by itself.',
    auth: 'session',
    stream: true,
    response: { status: 200, description: 'An event stream.', contentType: 'text/event-stream' },
    errors: ['instance_not_found'],
    example: (context) => ({ params: { name: context.instance } }),
  },
  {
    id: 'status',
    group: 'system',
    method: 'GET',
    path: '/api/v1/status',
    summary: 'System status',
    description:
      'Public health for uptime monitors. Always answers 200: trigger your alert on the body’s `status` field (`ok`, `degraded` or `down`), not on the HTTP code.',
    auth: 'none',
    response: {
      status: 200,
      description: 'The overall status and the checks behind it.',
      schema: StatusResponse,
      example: {
        status: 'ok',
        checks: { database: { status: 'ok' }, workers: { status: 'ok', alive: 2 }, rateLimitStore: { status: 'ok', backend: 'postgres' } },
        version: '0.1.0',
        whatsappWeb: { version: '2.3000.1023456789', source: 'fetched', fetchedAt: '2025-01-01T06:00:00.000Z', updatedAt: '2025-01-01T06:00:00.000Z' },
        time: '2025-01-01T09:30:00.000Z',
      },
    },
    errors: [],
    example: () => ({}),
  },
  {
    id: 'openapi',
    group: 'system',
    method: 'GET',
    path: '/api/v1/openapi.json',
    summary: 'This API as OpenAPI 3.1',
    description: 'Generated from the same schemas that validate requests; import it into Postman, Insomnia or a client generator.',
    auth: 'none',
    response: { status: 200, description: 'The OpenAPI document.', schema: OpenApiDocument },
    errors: [],
    example: () => ({}),
  },
]
