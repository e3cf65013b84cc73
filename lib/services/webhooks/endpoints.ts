import 'server-only'
import { randomUUID } from 'node:crypto'
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
import { findUserById } from '@/lib/services/accounts/users'
import { findByName } from '@/lib/store/instances'
import {
  countEndpoints,
  deleteEndpoint,
  findEndpoint,
  insertEndpoint,
  listEndpoints,
  rotateSecret,
  sealedSecretOf,
  updateEndpoint,
  type Endpoint,
  type EndpointChange,
} from '@/lib/store/webhook-endpoints'
import { newSigningSecret, openSigningSecret, sealSigningSecret } from '@/lib/webhooks/secrets'
import { checkWebhookUrl, UnsafeUrlError } from '@/lib/webhooks/url-guard'

/** Who is acting: every query below is scoped by this account, in the query itself. */
export type WebhookContext = { userId: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return UUID.test(value)
}

function notFound(): ApiError {
  return new ApiError('not_found', 'No webhook endpoint with this id in your account.')
}

/** The API's view of an endpoint: the previous secret's expiry only while it still signs. */
function summary(endpoint: Endpoint): WebhookEndpoint {
  const overlap = endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt.getTime() > Date.now() ? endpoint.previousSecretExpiresAt : null
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    instance: endpoint.instanceName,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    previousSecretExpiresAt: overlap?.toISOString() ?? null,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  }
}

async function requireVerifiedAccount(ctx: WebhookContext): Promise<void> {
  const user = await findUserById(ctx.userId)
  if (!user) throw new ApiError('unauthorized')
  if (!user.emailVerifiedAt) throw new ApiError('email_not_verified', 'Verify your email address before adding webhook endpoints.')
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
  const instance = await findByName(ctx.userId, name)
  if (!instance) throw new ApiError('invalid_request', 'Unknown instance.', [{ field: 'instance', message: `No instance named "${name}" in your account` }])
  return instance.id
}

export async function listWebhookEndpoints({ ctx }: { ctx: WebhookContext }): Promise<WebhookEndpoint[]> {
  return (await listEndpoints(ctx.userId)).map(summary)
}

export async function getWebhookEndpoint({ ctx, id }: { ctx: WebhookContext; id: string }): Promise<WebhookEndpoint> {
  if (!isUuid(id)) throw notFound()
  const endpoint = await findEndpoint(ctx.userId, id)
  if (!endpoint) throw notFound()
  return summary(endpoint)
}

/** Adds an endpoint. Its signing secret is returned here (and on rotation) and never again by the API. */
export async function createWebhookEndpoint({ ctx, input }: { ctx: WebhookContext; input: CreateWebhookInput }): Promise<WebhookEndpointWithSecret> {
  const body = parseWith(CreateWebhookBody, input, 'body')
  await requireVerifiedAccount(ctx)
  const instanceId = await instanceIdByName(ctx, body.instance)
  await requireSafeUrl(body.url)
  if ((await countEndpoints(ctx.userId)) >= MAX_WEBHOOK_ENDPOINTS) {
    throw new ApiError('invalid_request', `An account can have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints.`, [
      { field: 'url', message: `At most ${MAX_WEBHOOK_ENDPOINTS} endpoints per account; delete one first` },
    ])
  }
  const id = randomUUID()
  const secret = newSigningSecret()
  const endpoint = await insertEndpoint(ctx.userId, {
    id,
    url: body.url,
    events: body.events,
    instanceId,
    sealedSecret: sealSigningSecret(id, secret),
    enabled: body.enabled,
  })
  return { ...summary(endpoint), secret }
}

export async function updateWebhookEndpoint({ ctx, id, input }: { ctx: WebhookContext; id: string; input: UpdateWebhookInput }): Promise<WebhookEndpoint> {
  if (!isUuid(id)) throw notFound()
  const body = parseWith(UpdateWebhookBody, input, 'body')
  await getWebhookEndpoint({ ctx, id })
  const change: EndpointChange = { events: body.events, enabled: body.enabled }
  if (body.url !== undefined) {
    await requireSafeUrl(body.url)
    change.url = body.url
  }
  if (body.instance !== undefined) change.instanceId = await instanceIdByName(ctx, body.instance)
  const updated = await updateEndpoint(ctx.userId, id, change)
  if (!updated) throw notFound()
  return summary(updated)
}

/** Deletes the endpoint with its delivery log; its queued jobs find nothing and end. */
export async function deleteWebhookEndpoint({ ctx, id }: { ctx: WebhookContext; id: string }): Promise<void> {
  if (!isUuid(id)) throw notFound()
  if (!(await deleteEndpoint(ctx.userId, id))) throw notFound()
}

/**
 * A new signing secret, returned once. The old one keeps signing alongside (in
 * X-Sage-Signature-Previous) for 24 hours, so receivers can switch without dropping deliveries.
 */
export async function rotateWebhookSecret({ ctx, id }: { ctx: WebhookContext; id: string }): Promise<WebhookEndpointWithSecret> {
  if (!isUuid(id)) throw notFound()
  const secret = newSigningSecret()
  const rotated = await rotateSecret(ctx.userId, id, sealSigningSecret(id, secret))
  if (!rotated) throw notFound()
  return { ...summary(rotated), secret }
}

/** The dashboard's "reveal" (session-authenticated, the owner's own secret); the API never returns it again. */
export async function revealWebhookSecret({ ctx, id }: { ctx: WebhookContext; id: string }): Promise<string> {
  if (!isUuid(id)) throw notFound()
  const sealed = await sealedSecretOf(ctx.userId, id)
  if (!sealed) throw notFound()
  return openSigningSecret(id, sealed)
}
