import 'server-only'
import type { z } from 'zod'
import { runCommand } from '@/lib/bus/commands'
import type { SendPresenceBody, SendPresenceResponse, SubscribePresenceResponse } from '@/lib/api/schemas/presence'
import { requireOpen } from '@/lib/services/messages/chat'

type Instance = { id: string; name: string }
const PRESENCE_TIMEOUT_MS = 20_000

/**
 * chat/sendPresence: "typing…", "recording audio…" or paused in one chat, or the account online or
 * offline. With a delay the request does not wait: the worker holding the instance keeps the state
 * up and sends paused when it ends.
 */
export async function sendPresence(instance: Instance, body: z.infer<typeof SendPresenceBody>): Promise<z.infer<typeof SendPresenceResponse>> {
  await requireOpen(instance)
  const timed = body.delay !== undefined && body.delay > 0 && (body.presence === 'composing' || body.presence === 'recording')
  await runCommand(instance.id, 'send_presence', { jid: body.number, presence: body.presence, delayMs: timed ? body.delay : null }, PRESENCE_TIMEOUT_MS)
  return { jid: body.number, presence: body.presence, until: timed ? new Date(Date.now() + body.delay!).toISOString() : null }
}

/** chat/subscribePresence: WhatsApp sends the chat's presence and typing (PRESENCE_UPDATE events) until the instance disconnects; the worker asks again after each reconnect. */
export async function subscribePresence(instance: Instance, jid: string): Promise<z.infer<typeof SubscribePresenceResponse>> {
  await requireOpen(instance)
  await runCommand(instance.id, 'subscribe_presence', { jid }, PRESENCE_TIMEOUT_MS)
  return { jid, subscribed: true }
}
