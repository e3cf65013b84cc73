import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { runCommand } from '@/lib/bus/commands'
import { sendability } from '@/lib/store/instances'

type Instance = { id: string; name: string }
const CHAT_TIMEOUT_MS = 20_000

async function requireOpen(instance: Instance): Promise<void> {
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
