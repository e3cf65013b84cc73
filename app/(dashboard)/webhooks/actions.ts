'use server'
// The Webhooks page's writes, each through serverAction: a cross-site post is refused (Next.js checks
// the Origin too), and every service call is scoped to the signed-in account.
import { z } from 'zod'
import { serverAction } from '@/lib/actions/server-action'
import { CreateWebhookBody } from '@/lib/api/schemas/webhooks'
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  revealWebhookSecret,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from '@/lib/services/webhooks/endpoints'
import { resendDelivery, sendTestEvent } from '@/lib/services/webhooks/deliveries'

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
