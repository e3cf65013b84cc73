import 'server-only'
import { sqlClient } from '@/lib/db'
import { ApiError } from '@/lib/api/errors'
import { awaitCommand, enqueueCommand } from '@/lib/bus/commands'

type Instance = { id: string; name: string }
const CHAT_TIMEOUT_MS = 20_000

async function requireOpen(instance: Instance): Promise<void> {
  const [row] = await sqlClient()`select state from instances where id = ${instance.id}`
  if (row?.state !== 'open') throw new ApiError('instance_not_connected', `The instance "${instance.name}" is not connected to WhatsApp.`)
}

export async function checkNumbers(instance: Instance, numbers: string[]): Promise<{ number: string; exists: boolean; jid: string | null }[]> {
  await requireOpen(instance)
  const id = await enqueueCommand(instance.id, 'check_numbers', { numbers })
  return (await awaitCommand(id, CHAT_TIMEOUT_MS)) as { number: string; exists: boolean; jid: string | null }[]
}

export async function markAsRead(instance: Instance, keys: { remoteJid: string; fromMe: boolean; id: string }[]): Promise<{ read: number }> {
  await requireOpen(instance)
  const id = await enqueueCommand(instance.id, 'mark_read', { keys })
  return (await awaitCommand(id, CHAT_TIMEOUT_MS)) as { read: number }
}
