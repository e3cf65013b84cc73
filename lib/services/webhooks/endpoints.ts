import 'server-only'
import { randomUUID } from 'node:crypto'
import { and, asc, count, eq, sql } from 'drizzle-orm'
import { db, schema } from '@/lib/db'
import { config } from '@/lib/config'
import { ApiError } from '@/lib/api/errors'
import { parseWith } from '@/lib/api/validation'
import {
  CreateWebhookBody,
  MAX_WEBHOOK_ENDPOINTS,
  UpdateWebhookBody,
  type CreateWebhookInput,
  type UpdateWebhookInput,
  type WebhookEndpoint,
  type WebhookEndpointWithSecret,
} from '@/lib/api/schemas/webhooks'
import { newSigningSecret, openSigningSecret, sealSigningSecret } from '@/lib/webhooks/secrets'
import { checkWebhookUrl, UnsafeUrlError } from '@/lib/webhooks/url-guard'
import type { EventType } from '@/lib/events/types'

/** Who is acting: every query below is scoped by this account, in the query itself. */
export type WebhookContext = { userId: string }

/** After a rotation the old secret keeps signing (X-Sage-Signature-Previous) for this long. */
export const PREVIOUS_SECRET_OVERLAP_MS = 24 * 3600 * 1000

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return UUID.test(value)
}

function notFound(): ApiError {
  return new ApiError('not_found', 'No webhook endpoint with this id in your account.')
}

const { webhookEndpoints: endpoints, instances } = schema

const columns = {
  id: endpoints.id,
  url: endpoints.url,
  events: endpoints.events,
  instance: instances.name,
  enabled: endpoints.enabled,
  disabledReason: endpoints.disabledReason,
  failingSince: endpoints.failingSince,
  previousSecretExpiresAt: endpoints.previousSecretExpiresAt,
  createdAt: endpoints.createdAt,
  updatedAt: endpoints.updatedAt,
}

type Row = { [K in keyof typeof columns]: (typeof columns)[K]['_']['data'] | (K extends 'instance' ? null : never) }

function summary(row: Row): WebhookEndpoint {
  const overlap = row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > Date.now() ? row.previousSecretExpiresAt : null
  return {
    id: row.id,
    url: row.url,
    events: row.events as EventType[],
    instance: row.instance ?? null,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince?.toISOString() ?? null,
    previousSecretExpiresAt: overlap?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

async function selectEndpoints(ctx: WebhookContext, id?: string): Promise<WebhookEndpoint[]> {
  const rows = await db
    .select(columns)
    .from(endpoints)
    .leftJoin(instances, and(eq(instances.id, endpoints.instanceId), eq(instances.userId, ctx.userId)))
    .where(and(eq(endpoints.userId, ctx.userId), id ? eq(endpoints.id, id) : undefined))
    .orderBy(asc(endpoints.createdAt), asc(endpoints.id))
  return rows.map((row) => summary(row as Row))
}

async function requireVerifiedAccount(ctx: WebhookContext): Promise<void> {
  const [user] = await db.select({ verifiedAt: schema.users.emailVerifiedAt }).from(schema.users).where(eq(schema.users.id, ctx.userId))
  if (!user) throw new ApiError('unauthorized')
  if (!user.verifiedAt) throw new ApiError('email_not_verified', 'Verify your email address before adding webhook endpoints.')
}

/** The SSRF check at save time: the URL must resolve to public addresses only (unless allowed). */
async function requireSafeUrl(url: string): Promise<void> {
  try {
    await checkWebhookUrl(url, { allowPrivate: config().WEBHOOK_ALLOW_PRIVATE_URLS })
  } catch (error) {
    if (!(error instanceof UnsafeUrlError)) throw error
    throw new ApiError('invalid_request', `The webhook URL was refused: ${error.message}.`, [{ field: 'url', message: error.message }])
  }
}

async function instanceIdByName(ctx: WebhookContext, name: string | null | undefined): Promise<string | null> {
  if (!name) return null
  const [row] = await db
    .select({ id: instances.id })
    .from(instances)
    .where(and(eq(instances.userId, ctx.userId), eq(instances.name, name)))
  if (!row) throw new ApiError('invalid_request', 'Unknown instance.', [{ field: 'instance', message: `No instance named "${name}" in your account` }])
  return row.id
}

export async function listWebhookEndpoints({ ctx }: { ctx: WebhookContext }): Promise<WebhookEndpoint[]> {
  return selectEndpoints(ctx)
}

export async function getWebhookEndpoint({ ctx, id }: { ctx: WebhookContext; id: string }): Promise<WebhookEndpoint> {
  if (!isUuid(id)) throw notFound()
  const [endpoint] = await selectEndpoints(ctx, id)
  if (!endpoint) throw notFound()
  return endpoint
}

/** Adds an endpoint. Its signing secret is returned here (and on rotation) and never again by the API. */
export async function createWebhookEndpoint({ ctx, input }: { ctx: WebhookContext; input: CreateWebhookInput }): Promise<WebhookEndpointWithSecret> {
  const body = parseWith(CreateWebhookBody, input, 'body')
  await requireVerifiedAccount(ctx)
  const instanceId = await instanceIdByName(ctx, body.instance)
  await requireSafeUrl(body.url)
  const [{ total }] = await db.select({ total: count() }).from(endpoints).where(eq(endpoints.userId, ctx.userId))
  if (total >= MAX_WEBHOOK_ENDPOINTS) {
    throw new ApiError('invalid_request', `An account can have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints.`, [
      { field: 'url', message: `At most ${MAX_WEBHOOK_ENDPOINTS} endpoints per account; delete one first` },
    ])
  }
  const id = randomUUID()
  const secret = newSigningSecret()
  await db.insert(endpoints).values({
    id,
    userId: ctx.userId,
    url: body.url,
    events: body.events,
    instanceId,
    secret: sealSigningSecret(id, secret),
    enabled: body.enabled,
  })
  return { ...(await getWebhookEndpoint({ ctx, id })), secret }
}

export async function updateWebhookEndpoint({ ctx, id, input }: { ctx: WebhookContext; id: string; input: UpdateWebhookInput }): Promise<WebhookEndpoint> {
  if (!isUuid(id)) throw notFound()
  const body = parseWith(UpdateWebhookBody, input, 'body')
  await getWebhookEndpoint({ ctx, id })
  const changes: Partial<typeof endpoints.$inferInsert> = { updatedAt: new Date() }
  if (body.url !== undefined) {
    await requireSafeUrl(body.url)
    changes.url = body.url
  }
  if (body.events !== undefined) changes.events = body.events
  if (body.instance !== undefined) changes.instanceId = await instanceIdByName(ctx, body.instance)
  if (body.enabled !== undefined) {
    changes.enabled = body.enabled
    // Turning it back on starts a fresh streak; turning it off is the user's own reason.
    changes.disabledReason = null
    if (body.enabled) changes.failingSince = null
  }
  const updated = await db
    .update(endpoints)
    .set(changes)
    .where(and(eq(endpoints.id, id), eq(endpoints.userId, ctx.userId)))
    .returning({ id: endpoints.id })
  if (updated.length === 0) throw notFound()
  return getWebhookEndpoint({ ctx, id })
}

/** Deletes the endpoint with its delivery log; its queued jobs find nothing and end. */
export async function deleteWebhookEndpoint({ ctx, id }: { ctx: WebhookContext; id: string }): Promise<void> {
  if (!isUuid(id)) throw notFound()
  const deleted = await db
    .delete(endpoints)
    .where(and(eq(endpoints.id, id), eq(endpoints.userId, ctx.userId)))
    .returning({ id: endpoints.id })
  if (deleted.length === 0) throw notFound()
}

/**
 * A new signing secret, returned once. The old one keeps signing alongside (in
 * X-Sage-Signature-Previous) for 24 hours, so receivers can switch without dropping deliveries.
 */
export async function rotateWebhookSecret({ ctx, id }: { ctx: WebhookContext; id: string }): Promise<WebhookEndpointWithSecret> {
  if (!isUuid(id)) throw notFound()
  const secret = newSigningSecret()
  const rotated = await db
    .update(endpoints)
    .set({
      previousSecret: sql`${endpoints.secret}`,
      previousSecretExpiresAt: new Date(Date.now() + PREVIOUS_SECRET_OVERLAP_MS),
      secret: sealSigningSecret(id, secret),
      updatedAt: new Date(),
    })
    .where(and(eq(endpoints.id, id), eq(endpoints.userId, ctx.userId)))
    .returning({ id: endpoints.id })
  if (rotated.length === 0) throw notFound()
  return { ...(await getWebhookEndpoint({ ctx, id })), secret }
}

/** The dashboard's "reveal" (session-authenticated, the owner's own secret); the API never returns it again. */
export async function revealWebhookSecret({ ctx, id }: { ctx: WebhookContext; id: string }): Promise<string> {
  if (!isUuid(id)) throw notFound()
  const [row] = await db
    .select({ secret: endpoints.secret })
    .from(endpoints)
    .where(and(eq(endpoints.id, id), eq(endpoints.userId, ctx.userId)))
  if (!row) throw notFound()
  return openSigningSecret(id, row.secret)
}
