'use server'
// The Webhooks page's writes, each through serverAction: a cross-site post is refused (Next.js checks
// the Origin too), and every service call is scoped to the signed-in account.
import { z } from 'zod'
import { serverAction } from '@/lib/actions/server-action'
import { CreateWebhookBody, type UpdateWebhookInput } from '@/lib/api/schemas/webhooks'
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  revealWebhookSecret,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from '@/lib/services/webhooks/endpoints'
import { getDelivery, resendDelivery, sendTestEvent } from '@/lib/services/webhooks/deliveries'

const ON_THIS_PAGE = {
  messages: { email_not_verified: 'Verify your email address first: follow the link we emailed you.' },
  revalidate: '/webhooks',
}
const ThisEndpoint = z.object({ id: z.string() })

/** Adds an endpoint and answers with its signing secret, shown once. */
export const createWebhookAction = serverAction({ input: CreateWebhookBody, ...ON_THIS_PAGE }, async ({ user, input }) => {
  const endpoint = await createWebhookEndpoint({ ctx: user, input })
  return { id: endpoint.id, secret: endpoint.secret }
})

export const setWebhookEnabledAction = serverAction({ input: ThisEndpoint.extend({ enabled: z.boolean() }), ...ON_THIS_PAGE }, async ({ user, input }) => {
  await updateWebhookEndpoint({ ctx: user, id: input.id, input: { enabled: input.enabled } })
})

export const deleteWebhookAction = serverAction({ input: ThisEndpoint, ...ON_THIS_PAGE }, async ({ user, input }) => {
  await deleteWebhookEndpoint({ ctx: user, id: input.id })
})

export const rotateWebhookSecretAction = serverAction({ input: ThisEndpoint, ...ON_THIS_PAGE }, async ({ user, input }) => {
  return (await rotateWebhookSecret({ ctx: user, id: input.id })).secret
})

export const revealWebhookSecretAction = serverAction({ input: ThisEndpoint, ...ON_THIS_PAGE }, async ({ user, input }) => {
  return revealWebhookSecret({ ctx: user, id: input.id })
})

export const sendTestEventAction = serverAction({ input: ThisEndpoint, ...ON_THIS_PAGE }, async ({ user, input }) => {
  return (await sendTestEvent({ ctx: user, endpointId: input.id })).id
})

export const resendDeliveryAction = serverAction({ input: ThisEndpoint.extend({ deliveryId: z.string() }), ...ON_THIS_PAGE }, async ({ user, input }) => {
  return (await resendDelivery({ ctx: user, endpointId: input.id, deliveryId: input.deliveryId })).id
})

/** The endpoint page's edit form: URL (checked by the SSRF guard again), events and instance filter. */
// Flat fields, so a refusal from the service (details naming url, events or instance) lands next to its field.
export const updateWebhookAction = serverAction(
  { input: z.object({ id: z.string(), url: z.unknown(), events: z.unknown(), instance: z.unknown() }), messages: ON_THIS_PAGE.messages },
  async ({ user, input }) => {
    const { id, ...change } = input
    await updateWebhookEndpoint({ ctx: user, id, input: change as UpdateWebhookInput })
  },
)

/** Where a test event (or any delivery) stands, for the result shown after "Send a test event". */
export const deliveryOutcomeAction = serverAction({ input: ThisEndpoint.extend({ deliveryId: z.string() }) }, async ({ user, input }) => {
  const delivery = await getDelivery({ ctx: user, endpointId: input.id, deliveryId: input.deliveryId })
  const last = delivery.lastAttempt
  return { status: delivery.status, attempts: delivery.attempts, statusCode: last?.statusCode ?? null, latencyMs: last?.latencyMs ?? null, error: last?.error ?? null }
})
