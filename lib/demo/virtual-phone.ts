import 'server-only'
import { findByName, listForAccount } from '@/lib/store/instances'
import { findByWaId, latestFromChat } from '@/lib/store/messages'
import { pollTally } from '@/lib/store/poll-votes'
import { pollOf } from '@/lib/messages/polls'
import type { AccountContext } from '@/lib/services/accounts/users'
import type { InstanceState } from '@/lib/instances/status-codes'
import type { ReceivedMessage } from '@/simulator/client'
import type { SimulatorClient } from '@/simulator/client'
import { DEFAULT_CONTACT, isDemoMode, phoneSimulator } from './mode'
import { chatContentOf, DELETED, edited, protocolChangeOf, unwrap, type ChatContent } from './chat-content'

export type { ChatContent, ChatPoll, LinkPreview, VoiceNote } from './chat-content'

/** One of the account's instances as the virtual phone lists it. */
export type DemoInstance = {
  name: string
  state: InstanceState
  /** The paired number (digits), once linked. */
  phoneNumber: string | null
  pushName: string | null
  /** A QR code is on the instance page right now, ready to be scanned. */
  showingQr: boolean
  /** Nobody asked for a connection: the instance page offers Connect. */
  idle: boolean
  statusReason: string | null
  /** A sandbox instance: its contacts live in the account's sandbox world. */
  sandbox: boolean
}

export type DemoContact = { phone: string; name: string }

export type ChatTicks = 'pending' | 'queued' | 'sent' | 'delivered' | 'read'

/** A message in the contact's chat with the instance's number, seen from the contact's phone. */
export type ChatMessage = ChatContent & {
  id: string
  /** `out`: the contact sent it (to the instance). `in`: the instance sent it to the contact. */
  direction: 'in' | 'out'
  at: number
  /** The contact's own messages only: how far the instance got with it. */
  ticks?: ChatTicks
}

export type DemoChat = { instance: string; ownPhone: string; contact: DemoContact; messages: ChatMessage[] }

export type DemoFeed = { instances: DemoInstance[]; contacts: DemoContact[]; chat: DemoChat | null }

/** Inline media larger than this is shown as a placeholder: the feed is re-read every second or two. */
const MAX_INLINE_MEDIA_BYTES = 400_000
const MAX_MESSAGES = 200

/** The account's instances the phone can reach: all in demo mode, else its sandbox instances. */
export async function demoInstances(ctx: AccountContext): Promise<DemoInstance[]> {
  const reachable = (await listForAccount(ctx.userId)).filter((instance) => instance.sandbox || isDemoMode())
  return reachable.map((instance) => ({
    name: instance.name,
    state: instance.state,
    phoneNumber: instance.phoneNumber,
    pushName: instance.pushName,
    showingQr: instance.qrCode !== null,
    idle: instance.desiredState === 'disconnected',
    statusReason: instance.statusReason,
    sandbox: instance.sandbox,
  }))
}

/**
 * Simulated accounts that can play a contact: every account with no linked device (accounts with
 * one are somebody's "own phone"). Alice is created the first time anyone looks.
 */
export async function demoContacts(sim: SimulatorClient): Promise<DemoContact[]> {
  let accounts = await sim.accounts()
  if (!accounts.some((account) => account.phone === DEFAULT_CONTACT.phone)) {
    await sim.createAccount(DEFAULT_CONTACT.phone, DEFAULT_CONTACT.name)
    accounts = await sim.accounts()
  }
  return accounts
    .filter((account) => account.companions.length === 0)
    .map((account) => ({ phone: account.phone, name: account.name && account.name !== account.phone ? account.name : `+${account.phone}` }))
    .sort((a, b) => (a.phone === DEFAULT_CONTACT.phone ? -1 : b.phone === DEFAULT_CONTACT.phone ? 1 : a.name.localeCompare(b.name)))
}

type Proto = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** The attachment the simulator decrypted, as a data URL: pictures, stickers and voice notes up to MAX_INLINE_MEDIA_BYTES. */
function inlineMediaOf(received: ReceivedMessage): string | undefined {
  const media = received.media
  if (!media?.ok || media.length > MAX_INLINE_MEDIA_BYTES) return undefined
  const content = unwrap(received.message)
  const mimetype = ((content.imageMessage ?? content.stickerMessage ?? content.audioMessage)?.mimetype as string | undefined) ?? 'application/octet-stream'
  return `data:${mimetype.replace(/;.*$/, '')};base64,${media.base64}`
}

/** A poll the instance sent, with the votes the instance has counted (the contact's among them). */
async function withTally(instanceId: string, contactJid: string, id: string, content: ChatContent): Promise<ChatContent> {
  if (content.kind !== 'poll' || !content.poll) return content
  const stored = await findByWaId(instanceId, id)
  const poll = stored && pollOf(stored.message)
  if (!stored || !poll) return content
  const tally = await pollTally(instanceId, stored.id, poll)
  const options = tally.options.map((option) => ({ name: option.name, votes: option.votes, mine: option.voters.includes(contactJid) }))
  return { ...content, poll: { ...content.poll, options } }
}

/**
 * The chat between `contact` and the number paired to the account's instance `instanceName`: what
 * the instance sent (the contact phone's inbox in the simulator) and what the contact sent (as the
 * instance stored it), with the read/delivery receipts the instance sent back as ticks.
 * Undefined when the instance is not the account's or was never paired.
 */
export async function demoChat(ctx: AccountContext, instanceName: string, contact: DemoContact): Promise<DemoChat | undefined> {
  const instance = await findByName(ctx.userId, instanceName)
  if (!instance?.phoneNumber) return undefined
  const ownPhone = instance.phoneNumber
  const sim = await phoneSimulator(ctx.userId, instance)
  const [inbox, receipts, stored] = await Promise.all([
    sim.messages(contact.phone, { from: ownPhone }).catch(() => [] as ReceivedMessage[]),
    sim.receipts(contact.phone).catch(() => []),
    latestFromChat(ctx.userId, instance.id, `${contact.phone}@s.whatsapp.net`, MAX_MESSAGES),
  ])

  const receiptOf = new Map<string, ChatTicks>()
  for (const receipt of receipts) {
    if (receipt.type === 'read' || receipt.type === 'read-self' || receipt.type === 'played') receiptOf.set(receipt.id, 'read')
    else if (receiptOf.get(receipt.id) !== 'read') receiptOf.set(receipt.id, 'delivered')
  }

  const messages: ChatMessage[] = []
  const contactJid = `${contact.phone}@s.whatsapp.net`
  for (const received of inbox) {
    if (received.deviceSent || !received.from.startsWith(`${ownPhone}`)) continue
    // An edit or a delete for everyone arrives as a message of its own naming the one it changes.
    const change = protocolChangeOf(received.message)
    if (change) {
      const target = messages.find((message) => message.id === change.targetId && message.direction === 'in')
      if (target) Object.assign(target, change.deleted ? { ...DELETED, image: undefined, poll: undefined, voice: undefined, preview: undefined } : edited(target, change.edit!))
      continue
    }
    const shown = chatContentOf(received.message, inlineMediaOf(received))
    if (shown) messages.push({ id: received.id, direction: 'in', at: received.receivedAt, ...(await withTally(instance.id, contactJid, received.id, shown)) })
  }
  for (const message of stored) {
    const content = chatContentOf(message.message as Proto)
    const shown = message.deletedAt ? DELETED : content && message.editedAt ? { ...content, edited: true } : content
    if (!shown) continue
    // The instance stored it, so WhatsApp delivered it at least to the linked device.
    messages.push({ id: message.waId, direction: 'out', at: message.createdAt.getTime(), ticks: receiptOf.get(message.waId) ?? 'delivered', ...shown })
  }
  messages.sort((a, b) => a.at - b.at)
  return { instance: instanceName, ownPhone, contact, messages: messages.slice(-MAX_MESSAGES) }
}

/** Everything the virtual phone shows, re-read by its poll. */
export async function demoFeed(ctx: AccountContext, selection: { instance?: string; contact?: string }): Promise<DemoFeed> {
  const instances = await demoInstances(ctx)
  const chatInstance = instances.find((instance) => instance.name === selection.instance && instance.phoneNumber) ?? instances.find((instance) => instance.state === 'open')
  // Contacts are phones of the simulator the chat's instance talks to (a sandbox world is per account).
  const contactWorld = chatInstance ?? instances.find((instance) => instance.name === selection.instance)
  const contacts = contactWorld || isDemoMode() ? await demoContacts(await phoneSimulator(ctx.userId, contactWorld)) : []
  const contact = contacts.find((candidate) => candidate.phone === selection.contact) ?? contacts[0]
  const chat = chatInstance && contact ? ((await demoChat(ctx, chatInstance.name, contact)) ?? null) : null
  return { instances, contacts, chat }
}
