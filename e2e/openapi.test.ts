// /api/v1/openapi.json: a valid OpenAPI 3.1 document (checked by a real validator) that lists exactly
// the route handlers under app/api/v1, with the authentication and schemas each route really uses.
import fs from 'node:fs'
import path from 'node:path'
import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0 })
const { ENDPOINTS, PLACEHOLDER_CONTEXT, exampleRequest } = await import('@/lib/api/openapi/registry')
const { WEBHOOK_EVENT_DATA, webhookPayloadExample, webhookPayloadSchema } = await import('@/lib/api/openapi/webhook-events')
const { ERROR_CODES } = await import('@/lib/api/errors')
const { EVENT_TYPES } = await import('@/lib/events/types')

const API_DIR = path.resolve(import.meta.dirname, '../app/api/v1')
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
const AUTH_OF_AUTHENTICATOR: Record<string, string> = {
  dataPlaneAuth: 'instanceKey',
  keyAuth: 'key',
  accountKeyAuth: 'accountKey',
  eventStreamAuth: 'key',
  webhookKeyAuth: 'webhookKey',
  sessionAuth: 'session',
  verifiedSessionAuth: 'verifiedSession',
  noAuth: 'none',
}

type RouteMethod = { method: string; path: string; file: string; auth?: string; body?: string; query?: string }

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name.startsWith('[...') ? [] : routeFiles(full)
    return entry.name === 'route.ts' ? [full] : []
  })
}

/** The methods a route file hands to methods({…}) (the others answer 405), with apiRoute's options of each. */
function routeMethods(file: string): RouteMethod[] {
  const relative = path.relative(API_DIR, path.dirname(file)).split(path.sep).filter(Boolean)
  const apiPath = `/api/v1/${relative.map((segment) => segment.replace(/^\[(\w+)\]$/, '{$1}')).join('/')}`
  const source = fs.readFileSync(file, 'utf8')
  const call = source.indexOf('methods({')
  if (call === -1) throw new Error(`${file} does not export its handlers through methods({…})`)
  const handlers = source.slice(call)
  const found = [...handlers.matchAll(/^\s{2}(GET|POST|PUT|PATCH|DELETE):\s*apiRoute\(\{([^}]*)\}/gm)]
  const keys = [...handlers.matchAll(/^\s{2}(GET|POST|PUT|PATCH|DELETE):/gm)].map((match) => match[1])
  expect(found.map((match) => match[1]), `${file}: every method goes through apiRoute`).toEqual(keys)
  return found.map(([, method, options]) => ({
    method,
    path: apiPath,
    file: path.relative(process.cwd(), file),
    auth: /auth:\s*(\w+)/.exec(options)?.[1],
    body: /body:\s*(\w+)/.exec(options)?.[1],
    query: /query:\s*(\w+)/.exec(options)?.[1],
  }))
}

const routes = routeFiles(API_DIR).flatMap(routeMethods)
const served = await fetch(`${stack.baseUrl}/api/v1/openapi.json`)
const document = (await served.json()) as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; webhooks: Record<string, unknown>; components: any }

/** Every export of lib/api/schemas/*, by value, so a registry schema can be named like the route names it. */
async function schemaNames(): Promise<Map<unknown, string>> {
  const names = new Map<unknown, string>()
  const dir = path.resolve(import.meta.dirname, '../lib/api/schemas')
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
    const module = await import(path.join(dir, file))
    for (const [name, value] of Object.entries(module)) if (!names.has(value)) names.set(value, name)
  }
  return names
}

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document (and the validator does reject a broken one)', async () => {
    expect(served.status).toBe(200)
    expect(document.openapi).toBe('3.1.0')
    const validator = new Validator()
    const result = await validator.validate(structuredClone(document) as never)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    const broken = structuredClone(document)
    ;(broken.paths['/api/v1/instance/{name}/connectionState'].get as any).parameters[0].in = 'body' // OpenAPI 2's, gone in 3.x
    expect((await new Validator().validate(broken as never)).valid).toBe(false)
  })

  it('lists every route handler under app/api/v1 with exactly its methods, and nothing else', () => {
    expect(routes.length).toBeGreaterThan(20)
    const fromFiles = routes.map((route) => `${route.method} ${route.path}`).sort()
    const fromDocument = Object.entries(document.paths)
      .flatMap(([apiPath, item]) => Object.keys(item).filter((key) => METHODS.includes(key.toUpperCase() as never)).map((method) => `${method.toUpperCase()} ${apiPath}`))
      .sort()
    expect(fromDocument).toEqual(fromFiles)
    expect(ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.path}`).sort()).toEqual(fromFiles)
  })

  it('documents the authentication, body and query schema each route really uses', async () => {
    const names = await schemaNames()
    for (const route of routes) {
      const endpoint = ENDPOINTS.find((candidate) => candidate.method === route.method && candidate.path === route.path)!
      const where = `${route.method} ${route.path} (${route.file})`
      expect(AUTH_OF_AUTHENTICATOR[route.auth ?? ''], where).toBe(endpoint.auth)
      if (endpoint.bodyParsedInHandler) expect(route.body, `${where} parses its body in the handler`).toBeUndefined()
      else expect(endpoint.body ? names.get(endpoint.body) : undefined, `${where} body`).toBe(route.body)
      expect(endpoint.query ? names.get(endpoint.query) : undefined, `${where} query`).toBe(route.query)
    }
  })

  it('has the Bearer and session-cookie schemes, every error code, the rate-limit headers and Idempotency-Key', () => {
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(document.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie' })
    expect(document.components.schemas.Error.properties.error.enum.sort()).toEqual(Object.keys(ERROR_CODES).sort())
    const sendText = document.paths['/api/v1/instance/{name}/message/sendText'].post as any
    expect(Object.keys(sendText.responses['201'].headers)).toEqual(expect.arrayContaining(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-Request-Id']))
    expect(sendText.responses['429'].headers['Retry-After']).toBeDefined()
    expect(sendText.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' })
    expect(sendText.security).toEqual([{ bearerAuth: [] }])
    expect((document.paths['/api/v1/me/instances'].get as any).security).toEqual([{ sessionCookie: [] }])
  })

  it('has every webhook event with its payload and signature headers', () => {
    expect(Object.keys(document.webhooks).sort()).toEqual([...EVENT_TYPES, 'WEBHOOK_TEST'].sort())
    const upsert = (document.webhooks.MESSAGES_UPSERT as any).post
    expect(upsert.parameters.map((header: { name: string }) => header.name)).toEqual(
      expect.arrayContaining(['X-Sage-Signature', 'X-Sage-Timestamp', 'X-Sage-Instance', 'X-Sage-Event', 'X-Sage-Delivery']),
    )
    expect(upsert.requestBody.content['application/json'].schema.required).toEqual(['event', 'instance', 'data', 'id', 'timestamp'])
  })
})

describe('the examples the docs show', () => {
  it('are valid requests and responses by the endpoints’ own schemas', () => {
    for (const endpoint of ENDPOINTS) {
      const request = exampleRequest(endpoint, PLACEHOLDER_CONTEXT)
      if (endpoint.body) expect(endpoint.body.safeParse(request.body).error, endpoint.id).toBeUndefined()
      else expect(request.body, endpoint.id).toBeUndefined()
      if (endpoint.query) expect(endpoint.query.safeParse(request.query ?? {}).error, endpoint.id).toBeUndefined()
      if (endpoint.response.schema && endpoint.response.example !== undefined) {
        expect(endpoint.response.schema.safeParse(endpoint.response.example).error, endpoint.id).toBeUndefined()
      }
      expect(request.url, endpoint.id).not.toMatch(/[{}]/)
    }
  })

  it('are valid webhook payloads', () => {
    for (const [event, { schema }] of Object.entries(WEBHOOK_EVENT_DATA)) {
      const example = webhookPayloadExample(event as keyof typeof WEBHOOK_EVENT_DATA)
      expect(webhookPayloadSchema(schema).safeParse(example).error, event).toBeUndefined()
    }
  })
})
