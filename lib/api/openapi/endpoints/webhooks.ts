// Webhook endpoints over the API (/api/v1/webhooks/…, an API key): one entry per route handler.
import { z } from 'zod'
import {
  CreateWebhookBody,
  DeliveryListQuery,
  UpdateWebhookBody,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from '@/lib/api/schemas/webhooks'
import type { Endpoint } from '../types'

export const WebhookList = z.object({ webhooks: z.array(WebhookEndpoint) })
export const DeliveryList = z.object({
  deliveries: z.array(WebhookDelivery),
  nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next (older) page; null on the last page'),
})
export const WebhookDeleted = z.object({ deleted: z.literal(true), id: z.string() })

const ENDPOINT_ID = '8c1d3f0e-5b7a-4a52-9d0e-2f6b1c4e7a90'
const DELIVERY_ID = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f'

const endpointExample = {
  id: ENDPOINT_ID,
  url: 'https://example.com/webhooks/sage',
  events: ['MESSAGES_UPSERT', 'SEND_MESSAGE_UPDATE', 'CONNECTION_UPDATE'],
  instance: null,
  enabled: true,
  disabledReason: null,
  failingSince: null,
  previousSecretExpiresAt: null,
  createdAt: '2025-01-01T09:30:00.000Z',
  updatedAt: '2025-01-01T09:30:00.000Z',
}
const SECRET = 'whsec_Jm3q9Xc0vQe1tL7pY4rZb8NwS2kD6fHa5uGo0iEyTxw'

const deliveryExample = {
  id: DELIVERY_ID,
  event: 'MESSAGES_UPSERT',
  eventId: '1042',
  instance: 'acme-prod',
  status: 'succeeded',
  attempts: 1,
  createdAt: '2025-01-01T09:31:00.000Z',
  lastAttemptAt: '2025-01-01T09:31:00.220Z',
  nextAttemptAt: null,
  lastAttempt: { attemptedAt: '2025-01-01T09:31:00.220Z', statusCode: 200, latencyMs: 84, responseSnippet: 'ok', error: null },
}

const SECRET_ONCE = 'The signing secret is in the answer this once; store it with your webhook handler.'

export const WEBHOOK_API_ENDPOINTS: Endpoint[] = [
  {
    id: 'list-webhooks',
    group: 'webhooks',
    method: 'GET',
    path: '/api/v1/webhooks',
    summary: 'List webhook endpoints',
    auth: 'webhookKey',
    response: { status: 200, description: 'Your webhook endpoints.', schema: WebhookList, example: { webhooks: [endpointExample] } },
    errors: [],
    example: () => ({}),
  },
  {
    id: 'create-webhook',
    group: 'webhooks',
    method: 'POST',
    path: '/api/v1/webhooks',
    summary: 'Add a webhook endpoint',
    description: `Events default to MESSAGES_UPSERT, SEND_MESSAGE_UPDATE and CONNECTION_UPDATE; \`instance\` limits the endpoint to one instance (null: all). The URL must be https and must not point at a private address. ${SECRET_ONCE}`,
    auth: 'webhookKey',
    body: CreateWebhookBody,
    response: {
      status: 201,
      description: 'The endpoint, with its signing secret (shown once).',
      schema: WebhookEndpointWithSecret,
      example: { ...endpointExample, secret: SECRET },
    },
    errors: ['email_not_verified'],
    example: (context) => ({ body: { url: context.webhookUrl, events: ['MESSAGES_UPSERT', 'SEND_MESSAGE_UPDATE', 'CONNECTION_UPDATE'] } }),
  },
  {
    id: 'get-webhook',
    group: 'webhooks',
    method: 'GET',
    path: '/api/v1/webhooks/{id}',
    summary: 'Get a webhook endpoint',
    auth: 'webhookKey',
    response: { status: 200, description: 'The endpoint.', schema: WebhookEndpoint, example: endpointExample },
    errors: ['not_found'],
    example: (context) => ({ params: { id: context.webhookId } }),
  },
  {
    id: 'update-webhook',
    group: 'webhooks',
    method: 'PATCH',
    path: '/api/v1/webhooks/{id}',
    summary: 'Change a webhook endpoint',
    description: 'Send only the fields that change (at least one).',
    auth: 'webhookKey',
    body: UpdateWebhookBody,
    response: {
      status: 200,
      description: 'The endpoint after the change.',
      schema: WebhookEndpoint,
      example: { ...endpointExample, events: ['MESSAGES_UPSERT'] },
    },
    errors: ['not_found'],
    example: (context) => ({ params: { id: context.webhookId }, body: { events: ['MESSAGES_UPSERT', 'MESSAGES_UPDATE'] } }),
  },
  {
    id: 'rotate-webhook-secret',
    group: 'webhooks',
    method: 'POST',
    path: '/api/v1/webhooks/{id}/rotate-secret',
    summary: 'Rotate the signing secret',
    description: `A new secret signs from now on. For 24 h the previous one also signs, in \`X-Sage-Signature-Previous\`, so you can roll over without dropping events. ${SECRET_ONCE}`,
    auth: 'webhookKey',
    response: {
      status: 200,
      description: 'The endpoint, with its new secret (shown once).',
      schema: WebhookEndpointWithSecret,
      example: { ...endpointExample, previousSecretExpiresAt: '2025-01-02T09:30:00.000Z', secret: SECRET },
    },
    errors: ['not_found'],
    example: (context) => ({ params: { id: context.webhookId } }),
  },
  {
    id: 'test-webhook',
    group: 'webhooks',
    method: 'POST',
    path: '/api/v1/webhooks/{id}/test',
    summary: 'Send a test event',
    description: 'Queues a signed `WEBHOOK_TEST` event to this endpoint, delivered like any other (retries included).',
    auth: 'webhookKey',
    response: {
      status: 202,
      description: 'The queued delivery.',
      schema: WebhookDelivery,
      example: { ...deliveryExample, event: 'WEBHOOK_TEST', status: 'pending', attempts: 0, lastAttemptAt: null, nextAttemptAt: '2025-01-01T09:31:00.000Z', lastAttempt: null },
    },
    errors: ['not_found'],
    example: (context) => ({ params: { id: context.webhookId } }),
  },
  {
    id: 'list-deliveries',
    group: 'webhooks',
    method: 'GET',
    path: '/api/v1/webhooks/{id}/deliveries',
    summary: 'List deliveries',
    description: 'The delivery log, newest first, each with its latest attempt. Filter with `status`, page with `cursor`.',
    auth: 'webhookKey',
    query: DeliveryListQuery,
    response: { status: 200, description: 'A page of deliveries.', schema: DeliveryList, example: { deliveries: [deliveryExample], nextCursor: null } },
    errors: ['not_found'],
    example: (context) => ({ params: { id: context.webhookId }, query: { limit: '20' } }),
  },
  {
    id: 'get-delivery',
    group: 'webhooks',
    method: 'GET',
    path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}',
    summary: 'Get a delivery',
    description: 'One delivery with the exact payload it sends and every attempt (time, status, latency, first bytes of the answer).',
    auth: 'webhookKey',
    response: {
      status: 200,
      description: 'The delivery.',
      schema: WebhookDeliveryDetail,
      example: {
        ...deliveryExample,
        payload: { event: 'MESSAGES_UPSERT', instance: 'acme-prod', data: { key: { remoteJid: '919999999999@s.whatsapp.net', fromMe: false, id: '3A0B1C2D3E4F' } }, id: '1042', timestamp: '2025-01-01T09:31:00.000Z' },
        attemptLog: [deliveryExample.lastAttempt],
      },
    },
    errors: ['not_found'],
    example: (context) => ({ params: { id: context.webhookId, deliveryId: context.deliveryId } }),
  },
  {
    id: 'resend-delivery',
    group: 'webhooks',
    method: 'POST',
    path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/resend',
    summary: 'Resend a delivery',
    description: 'One more attempt now, with the same `X-Sage-Delivery` id, so your handler can de-duplicate.',
    auth: 'webhookKey',
    response: { status: 202, description: 'The delivery, queued again.', schema: WebhookDelivery, example: { ...deliveryExample, status: 'pending' } },
    errors: ['not_found'],
    example: (context) => ({ params: { id: context.webhookId, deliveryId: context.deliveryId } }),
  },
  {
    id: 'delete-webhook',
    group: 'webhooks',
    method: 'DELETE',
    path: '/api/v1/webhooks/{id}',
    summary: 'Delete a webhook endpoint',
    description: 'Removes the endpoint and its delivery log.',
    auth: 'webhookKey',
    response: { status: 200, description: 'Deleted.', schema: WebhookDeleted, example: { deleted: true, id: ENDPOINT_ID } },
    errors: ['not_found'],
    example: (context) => ({ params: { id: context.webhookId } }),
  },
]
