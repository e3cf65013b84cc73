// The OpenAPI 3.1 document of /api/v1, built from the registry and the same zod schemas the routes validate with.
import { ERROR_CODES, type ErrorCode } from '@/lib/api/errors'
import { AUTH_LABELS, ENDPOINTS, errorsOf, GROUPS, exampleRequest, PLACEHOLDER_CONTEXT, pathParams, usesApiKey, usesSession } from './registry'
import { jsonSchemaOf, type JsonSchema } from './json-schema'
import type { Endpoint } from './types'
import { WEBHOOK_EVENT_DATA, WEBHOOK_EVENT_NAMES, WEBHOOK_HEADERS, webhookPayloadExample, webhookPayloadSchema } from './webhook-events'

const PARAM_DESCRIPTIONS: Record<string, string> = {
  name: 'The instance name',
  id: 'The message id (key.id) or the webhook endpoint id',
  deliveryId: 'The delivery id (X-Sage-Delivery)',
}

const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': { $ref: '#/components/headers/X-RateLimit-Limit' },
  'X-RateLimit-Remaining': { $ref: '#/components/headers/X-RateLimit-Remaining' },
}

function errorResponses(endpoint: Endpoint) {
  const byStatus = new Map<number, ErrorCode[]>()
  for (const code of errorsOf(endpoint)) byStatus.set(ERROR_CODES[code].status, [...(byStatus.get(ERROR_CODES[code].status) ?? []), code])
  const responses: Record<string, unknown> = {}
  for (const [status, codes] of byStatus) {
    const headers: Record<string, unknown> = { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } }
    if (usesApiKey(endpoint) && !codes.every((code) => code === 'unauthorized' || code === 'ip_not_allowed')) Object.assign(headers, RATE_LIMIT_HEADERS)
    if (status === 429) headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' }
    if (status === 405) headers.Allow = { description: 'The methods this route accepts', schema: { type: 'string' } }
    responses[String(status)] = {
      description: codes.map((code) => `\`${code}\`: ${ERROR_CODES[code].message}`).join('\n\n'),
      headers,
      content: {
        'application/json': {
          schema: { allOf: [{ $ref: '#/components/schemas/Error' }, { properties: { error: { enum: codes } } }] },
          examples: Object.fromEntries(codes.map((code) => [code, { value: { error: code, message: ERROR_CODES[code].message, requestId: 'req_9cQ2mYbXw1fT7uLk' } }])),
        },
      },
    }
  }
  return responses
}

function operation(endpoint: Endpoint) {
  const example = exampleRequest(endpoint, PLACEHOLDER_CONTEXT)
  const parameters: unknown[] = pathParams(endpoint.path).map((name) => ({
    name,
    in: 'path',
    required: true,
    description: PARAM_DESCRIPTIONS[name],
    schema: { type: 'string' },
    example: example.params[name],
  }))
  if (endpoint.query) {
    const query = jsonSchemaOf(endpoint.query, 'input')
    const required = new Set(query.required ?? [])
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const { description, ...rest } = schema
      parameters.push({ name, in: 'query', required: required.has(name), description, schema: rest })
    }
  }
  if (usesApiKey(endpoint) && endpoint.method === 'POST') parameters.push({ $ref: '#/components/parameters/IdempotencyKey' })

  const successHeaders: Record<string, unknown> = { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } }
  if (usesApiKey(endpoint)) Object.assign(successHeaders, RATE_LIMIT_HEADERS)
  if (usesApiKey(endpoint) && endpoint.method === 'POST') successHeaders['Idempotent-Replayed'] = { $ref: '#/components/headers/Idempotent-Replayed' }
  const { response } = endpoint
  const success = {
    description: response.description,
    headers: successHeaders,
    content: response.schema
      ? { 'application/json': { schema: jsonSchemaOf(response.schema, 'output'), ...(response.example === undefined ? {} : { example: response.example }) } }
      : { [response.contentType ?? 'application/octet-stream']: { schema: response.contentType === 'text/event-stream' ? { type: 'string' } : { type: 'string', contentMediaType: 'application/octet-stream' } } },
  }

  let requestBody: unknown
  if (endpoint.body) {
    const schema = jsonSchemaOf(endpoint.body, 'input')
    const content: Record<string, unknown> = { 'application/json': { schema, ...(example.body === undefined ? {} : { example: example.body }) } }
    if (endpoint.multipart) {
      content['multipart/form-data'] = {
        schema: {
          ...schema,
          properties: { ...schema.properties, [endpoint.multipart.fileField]: { type: 'string', contentMediaType: 'application/octet-stream', description: endpoint.multipart.description } },
        },
      }
    }
    requestBody = { required: true, content }
  }

  return {
    operationId: endpoint.id.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()),
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    tags: [GROUPS.find((group) => group.id === endpoint.group)!.title],
    security: usesApiKey(endpoint) ? [{ bearerAuth: [] }] : usesSession(endpoint) ? [{ sessionCookie: [] }] : [],
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: { [String(response.status)]: success, ...errorResponses(endpoint) },
    'x-sage-auth': AUTH_LABELS[endpoint.auth],
  }
}

function webhooks() {
  const headerParameters = WEBHOOK_HEADERS.map((header) => ({
    name: header.name,
    in: 'header',
    required: header.name !== 'X-Sage-Signature-Previous',
    description: header.description,
    schema: { type: 'string' },
    example: header.example,
  }))
  return Object.fromEntries(
    WEBHOOK_EVENT_NAMES.map((event) => {
      const { description, schema } = WEBHOOK_EVENT_DATA[event]
      const payload = jsonSchemaOf(webhookPayloadSchema(schema), 'output') as JsonSchema
      payload.properties!.event = { type: 'string', const: event, description: 'The event type' }
      return [
        event,
        {
          post: {
            operationId: `webhook${event.toLowerCase().replace(/(^|_)(\w)/g, (_, __, letter: string) => letter.toUpperCase())}`,
            summary: event,
            description: `${description}. Answer with any 2xx within 15 s; anything else is retried with growing delays (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).`,
            parameters: headerParameters,
            requestBody: { required: true, content: { 'application/json': { schema: payload, example: webhookPayloadExample(event) } } },
            responses: { '200': { description: 'Received. Any 2xx counts.' } },
          },
        },
      ]
    }),
  )
}

export function openApiDocument(baseUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const endpoint of ENDPOINTS) {
    paths[endpoint.path] ??= {}
    paths[endpoint.path][endpoint.method.toLowerCase()] = operation(endpoint)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'SAGE-API',
      version: '1.0.0',
      summary: 'Send and receive WhatsApp messages through one REST API.',
      description:
        'Authenticate with `Authorization: Bearer sage_…` (the account plane under /api/v1/me uses the dashboard’s session cookie). Every error is JSON `{error, message, details?, requestId}`; every response carries `X-Request-Id`. Authed responses carry `X-RateLimit-Limit` and `X-RateLimit-Remaining`; a 429 adds `Retry-After`.',
    },
    servers: [{ url: baseUrl }],
    tags: GROUPS.map((group) => ({ name: group.title, description: group.description })),
    paths,
    webhooks: webhooks(),
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'sage_…', description: 'An API key from the API keys page.' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'authjs.session-token', description: 'The dashboard’s session (account plane only).' },
      },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Up to 255 printable ASCII characters. The same key with the same request within 24 h answers with the first response (and `Idempotent-Replayed: true`) and does nothing again; with a different request, 409 `idempotency_conflict`. A send is tied to its key: a retry after a `503 unavailable` or a dropped connection answers with the message the first attempt queued (same `key.id`), never a second one.',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
      },
      headers: {
        'X-Request-Id': { description: 'This request’s id; quote it when contacting support.', schema: { type: 'string' } },
        'X-RateLimit-Limit': { description: 'Requests allowed per minute for this key.', schema: { type: 'integer' } },
        'X-RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer' } },
        'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
        'Idempotent-Replayed': { description: '`true` when this is the stored first response of an Idempotency-Key.', schema: { type: 'string', enum: ['true'] } },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error', 'message', 'requestId'],
          properties: {
            error: { type: 'string', enum: Object.keys(ERROR_CODES), description: 'A stable code; see the table in the docs' },
            message: { type: 'string', description: 'For humans; may change' },
            details: {
              description: 'invalid_request: one entry per field; timeout on a send: {messageId, willBeSent}',
              oneOf: [
                { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } } },
                { type: 'object' },
              ],
            },
            requestId: { type: 'string', description: 'Same as the X-Request-Id header' },
          },
        },
      },
    },
  }
}
