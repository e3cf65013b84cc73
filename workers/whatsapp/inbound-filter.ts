// Which incoming messages an instance's settings keep out (not stored, not announced), and which it
// marks as read. Decided after Baileys decrypted them, not with Baileys' `shouldIgnoreJid`: an
// ignored message is still acknowledged, receipted and its Signal state kept, so turning a switch
// off later loses nothing (a group's sender key, for one, comes only once).
import { isJidGroup, isJidNewsletter, isJidStatusBroadcast, type WAMessage } from '@whiskeysockets/baileys'
import type { InstanceSettings } from '@/lib/store/instance-settings'

type Switches = Pick<InstanceSettings, 'ignoreGroups' | 'ignoreStatus' | 'ignoreChannels' | 'readMessages' | 'readStatus'>

export function ignoredBySettings(remoteJid: string | null | undefined, settings: Switches): boolean {
  if (!remoteJid) return false
  if (isJidStatusBroadcast(remoteJid)) return settings.ignoreStatus
  if (isJidGroup(remoteJid)) return settings.ignoreGroups
  if (isJidNewsletter(remoteJid)) return settings.ignoreChannels
  return false
}

/** Incoming (not our own), kept, and the switch for its kind is on: send a read receipt. */
export function markedReadBySettings(message: WAMessage, settings: Switches): boolean {
  const remoteJid = message.key.remoteJid
  if (!remoteJid || message.key.fromMe || !message.key.id || !message.message) return false
  if (ignoredBySettings(remoteJid, settings)) return false
  if (isJidNewsletter(remoteJid)) return false
  if (message.message.protocolMessage) return false
  return isJidStatusBroadcast(remoteJid) ? settings.readStatus : settings.readMessages
}
