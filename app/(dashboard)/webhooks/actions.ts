'use server'
// The Webhooks page's writes. Server actions: Next.js refuses a POST whose Origin is not this host,
// so a cross-site page cannot drive them with the user's cookie.
import { revalidatePath } from 'next/cache'
import { redirect } from 'next/navigation'
import { ApiError } from '@/lib/api/errors'
import { currentUser } from '@/lib/auth/session'
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  revealWebhookSecret,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from '@/lib/services/webhooks/endpoints'
import { resendDelivery, sendTestEvent } from '@/lib/services/webhooks/deliveries'

export type ActionResult<T = undefined> = { ok: true; value: T } | { ok: false; error: string; fieldErrors?: Record<string, string> }

async function signedIn() {
  const user = await currentUser()
  if (!user) redirect('/login?next=/webhooks')
  return { userId: user.userId }
}

async function attempt<T>(work: (ctx: { userId: string }) => Promise<T>): Promise<ActionResult<T>> {
  const ctx = await signedIn()
  try {
    const value = await work(ctx)
    revalidatePath('/webhooks')
    return { ok: true, value }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const fieldErrors: Record<string, string> = {}
    for (const detail of Array.isArray(error.details) ? error.details : []) {
      const field = detail.field.split('.')[0]
      fieldErrors[field] ??= detail.message
    }
    const message =
      error.code === 'email_not_verified' ? 'Verify your email address first: follow the link we emailed you.' : error.message
    return { ok: false, error: message, fieldErrors: Object.keys(fieldErrors).length ? fieldErrors : undefined }
  }
}

export async function createWebhookAction(input: { url: string; events: string[]; instance: string | null }) {
  return attempt(async (ctx) => {
    const endpoint = await createWebhookEndpoint({ ctx, input: { url: input.url, events: input.events as never, instance: input.instance } })
    return { id: endpoint.id, secret: endpoint.secret }
  })
}

export async function updateWebhookAction(id: string, input: { url?: string; events?: string[]; instance?: string | null; enabled?: boolean }) {
  return attempt(async (ctx) => {
    await updateWebhookEndpoint({ ctx, id, input: input as never })
  })
}

export async function deleteWebhookAction(id: string) {
  return attempt((ctx) => deleteWebhookEndpoint({ ctx, id }))
}

export async function rotateWebhookSecretAction(id: string) {
  return attempt(async (ctx) => (await rotateWebhookSecret({ ctx, id })).secret)
}

export async function revealWebhookSecretAction(id: string) {
  return attempt((ctx) => revealWebhookSecret({ ctx, id }))
}

export async function sendTestEventAction(id: string) {
  return attempt(async (ctx) => (await sendTestEvent({ ctx, endpointId: id })).id)
}

export async function resendDeliveryAction(id: string, deliveryId: string) {
  return attempt(async (ctx) => (await resendDelivery({ ctx, endpointId: id, deliveryId })).id)
}
