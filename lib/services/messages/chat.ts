import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { runCommand } from '@/lib/bus/commands'
import { sendability } from '@/lib/store/instances'

type Instance = { id: string; name: string }
const CHAT_TIMEOUT_MS = 20_000

/** The instance must be connected: WhatsApp does the work. */
export async function requireOpen(instance: Instance): Promise<void> {
  if (!(await sendability(instance.id)).open) throw new ApiError('instance_not_connected', `The instance "${instance.name}" is not connected to WhatsApp.`)
}

export async function checkNumbers(instance: Instance, numbers: string[]): Promise<{ number: string; exists: boolean; jid: string | null }[]> {
  await requireOpen(instance)
  return (await runCommand(instance.id, 'check_numbers', { numbers }, CHAT_TIMEOUT_MS)) as { number: string; exists: boolean; jid: string | null }[]
}

export async function markAsRead(instance: Instance, keys: { remoteJid: string; fromMe: boolean; id: string }[]): Promise<{ read: number }> {
  await requireOpen(instance)
  return (await runCommand(instance.id, 'mark_read', { keys }, CHAT_TIMEOUT_MS)) as { read: number }
}

export type BlockedContact = { jid: string; lid: string | null }

/** chat/updateBlockStatus: blocks or unblocks a contact (its number JID or LID). */
export async function updateBlockStatus(instance: Instance, jid: string, status: 'block' | 'unblock'): Promise<{ jid: string; status: 'blocked' | 'unblocked' }> {
  await requireOpen(instance)
  return (await runCommand(instance.id, 'update_block_status', { jid, action: status }, CHAT_TIMEOUT_MS)) as { jid: string; status: 'blocked' | 'unblocked' }
}

/** chat/fetchBlocklist: the contacts the account blocked, as WhatsApp lists them now. */
export async function fetchBlocklist(instance: Instance): Promise<{ blocked: BlockedContact[] }> {
  await requireOpen(instance)
  return { blocked: (await runCommand(instance.id, 'fetch_blocklist', {}, CHAT_TIMEOUT_MS)) as BlockedContact[] }
}

export type ContactProfile = {
  jid: string
  /** The instance's own profile only: its push name. */
  name?: string | null
  pictureUrl: string | null
  about: string | null
  aboutSetAt: string | null
  business: { description: string | null; email: string | null; website: string[]; address: string | null; category: string | null } | null
}

/** chat/fetchProfilePictureUrl: where the contact's picture (or, without a jid, the instance's own) is now (null: none, or hidden from this account). */
export async function fetchProfilePictureUrl(instance: Instance, jid: string | undefined): Promise<{ jid: string; profilePictureUrl: string | null }> {
  await requireOpen(instance)
  const found = (await runCommand(instance.id, 'fetch_profile', { jid: jid ?? null, pictureOnly: true }, CHAT_TIMEOUT_MS)) as { jid: string; pictureUrl: string | null }
  return { jid: found.jid, profilePictureUrl: found.pictureUrl }
}

/** chat/fetchProfile: the contact's (or, without a jid, the instance's own) picture, about text and, for a business, its business profile. */
export async function fetchProfile(instance: Instance, jid: string | undefined): Promise<ContactProfile> {
  await requireOpen(instance)
  return (await runCommand(instance.id, 'fetch_profile', { jid: jid ?? null }, CHAT_TIMEOUT_MS)) as ContactProfile
}
