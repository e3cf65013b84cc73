import 'server-only'
import type { z } from 'zod'
import { config } from '@/lib/config'
import { ApiError } from '@/lib/api/errors'
import { SandboxServiceClient, type SimulatorClient } from '@/simulator/client'
import { sandboxWorldOf } from '@/lib/sandbox/world'
import type { SandboxCallsBody, SandboxContactsBody, SandboxDisconnectBody, SandboxReceiptsBody, SandboxReceiveBody } from '@/lib/api/schemas/sandbox'
import { requireSandboxMediaSize, requireSandboxSendRoom } from './limits'

/** The instance of a sandbox control call, as the data plane's auth found it. */
export type SandboxInstance = { id: string; name: string; userId: string; sandbox: boolean; phoneNumber: string | null }

/** 404 on a real instance: the control API does not exist there. */
function requireSandbox(instance: SandboxInstance): void {
  if (!instance.sandbox) throw new ApiError('not_found', `"${instance.name}" is not a sandbox instance: the sandbox API only works on instances created with sandbox: true.`)
}

const SANDBOX_UNREACHABLE = 'The sandbox service is out of reach; retry shortly.'

/** The account's world in the sandbox service (never another account's: worlds are named by account). */
async function worldOf(instance: SandboxInstance): Promise<SimulatorClient> {
  try {
    return await new SandboxServiceClient(config().SANDBOX_URL).control(sandboxWorldOf(instance.userId))
  } catch {
    throw new ApiError('unavailable', SANDBOX_UNREACHABLE)
  }
}

/** The sandbox phone the instance is linked to: its contacts write to it. */
function ownPhone(instance: SandboxInstance): string {
  if (!instance.phoneNumber) throw new ApiError('instance_not_connected', `Link "${instance.name}" first (GET …/connect): its sandbox phone links itself.`)
  return instance.phoneNumber
}

/**
 * Wraps a refusal of the world's control API (an unknown message, a contact without WhatsApp) as our
 * error. fetch rejects with a TypeError only when no answer came (the service stopped between the
 * world lookup and this call): that is the service's outage, not the caller's mistake.
 */
async function inWorld<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof ApiError) throw error
    if (error instanceof TypeError) throw new ApiError('unavailable', SANDBOX_UNREACHABLE)
    const message = error instanceof Error ? error.message.replace(/^\S+ \S+ → /, '') : String(error)
    throw new ApiError('invalid_request', `The sandbox refused: ${message}`)
  }
}

export async function makeContacts(instance: SandboxInstance, body: z.infer<typeof SandboxContactsBody>) {
  requireSandbox(instance)
  const world = await worldOf(instance)
  const contacts = []
  for (const contact of body.contacts) {
    if (contact.number === instance.phoneNumber) {
      throw new ApiError('invalid_request', 'That is the instance’s own sandbox number.', [{ field: 'contacts.number', message: 'That is the instance’s own sandbox number.' }])
    }
    if (contact.onWhatsApp === false) {
      await inWorld(() => world.markNotOnWhatsApp([contact.number]))
      contacts.push({ number: contact.number, jid: null, lid: null, onWhatsApp: false })
      continue
    }
    await inWorld(() => world.markNotOnWhatsApp([contact.number], false))
    const account = await inWorld(() => world.createAccount(contact.number, contact.name, contact.addressing ? { addressing: contact.addressing } : undefined))
    contacts.push({ number: account.phone, jid: account.jid, lid: account.lid, onWhatsApp: true })
  }
  return { contacts }
}

export async function receive(instance: SandboxInstance, body: z.infer<typeof SandboxReceiveBody>) {
  requireSandbox(instance)
  const to = ownPhone(instance)
  if (body.media) requireSandboxMediaSize(body.media.base64)
  await requireSandboxSendRoom(instance)
  const world = await worldOf(instance)
  const { from, delete: revoke, reaction, ...content } = body
  const sent = await inWorld(() =>
    world.send(from, {
      to,
      ...content,
      ...(revoke ? { revoke: { messageId: revoke.messageId } } : {}),
      ...(reaction ? { reaction: { messageId: reaction.messageId, emoji: reaction.emoji, fromMe: !(reaction.fromMe ?? true), remoteJid: `${to}@s.whatsapp.net` } } : {}),
    }),
  )
  return { id: sent.id }
}

export async function sendReceipts(instance: SandboxInstance, body: z.infer<typeof SandboxReceiptsBody>) {
  requireSandbox(instance)
  const to = ownPhone(instance)
  const world = await worldOf(instance)
  if (body.type === 'never') await inWorld(() => world.setReceiptTiming({ phone: body.from, deliveryMs: null, readMs: null }))
  else if (body.type === 'auto') await inWorld(() => world.setReceiptTiming({ phone: body.from, deliveryMs: 300, readMs: 1000 }))
  else await inWorld(() => world.sendReceipt(body.from, to, body.ids ?? [], body.type as 'delivery' | 'read' | 'played'))
  return { ok: true as const }
}

export async function disconnect(instance: SandboxInstance, body: z.infer<typeof SandboxDisconnectBody>) {
  requireSandbox(instance)
  const phone = ownPhone(instance)
  const world = await worldOf(instance)
  if (body.reason === 'connection_lost') await inWorld(() => world.dropConnections(phone))
  else if (body.reason === 'banned') await inWorld(() => world.ban(phone, body.banSeconds ?? 60))
  else await inWorld(() => world.unlink(phone))
  return { ok: true as const }
}

export async function call(instance: SandboxInstance, body: z.infer<typeof SandboxCallsBody>) {
  requireSandbox(instance)
  const to = ownPhone(instance)
  const world = await worldOf(instance)
  const placed = await inWorld(() => world.placeCall(body.from, { to, video: body.video }))
  return { id: placed.id }
}
