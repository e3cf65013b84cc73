// Sender keys for group messages, using Baileys' own group cipher (not
// exported from the package root; a deep import works since it has no exports map).
import libsignal from 'libsignal'
import type { proto } from '@whiskeysockets/baileys'
import { GroupCipher, GroupSessionBuilder, SenderKeyDistributionMessage, SenderKeyName, SenderKeyRecord } from '@whiskeysockets/baileys/lib/Signal/Group/index.js'
import { unpadRandomMax16, proto as waproto } from '@whiskeysockets/baileys'
import type { Account } from './state.js'

const { ProtocolAddress } = libsignal

function store(account: Account, onChange: () => void) {
  account.senderKeys ??= {}
  const keys = account.senderKeys
  return {
    loadSenderKey: async (name: { toString(): string }) => {
      const raw = keys[name.toString()]
      return raw ? SenderKeyRecord.deserialize(Buffer.from(raw, 'utf8')) : new SenderKeyRecord()
    },
    storeSenderKey: async (name: { toString(): string }, record: { serialize(): unknown }) => {
      keys[name.toString()] = JSON.stringify(record.serialize())
      onChange()
    }
  }
}

const senderName = (groupJid: string, senderPhone: string, senderDevice: number) =>
  new SenderKeyName(groupJid, new ProtocolAddress(senderPhone, senderDevice))

export async function processSenderKeyDistribution(account: Account, onChange: () => void, senderPhone: string, senderDevice: number, skdm: proto.Message.ISenderKeyDistributionMessage): Promise<void> {
  if (!skdm.groupId || !skdm.axolotlSenderKeyDistributionMessage) return
  const message = new SenderKeyDistributionMessage(null, null, null, null, Buffer.from(skdm.axolotlSenderKeyDistributionMessage))
  await new GroupSessionBuilder(store(account, onChange)).process(senderName(skdm.groupId, senderPhone, senderDevice), message)
}

export function hasSenderKey(account: Account, groupJid: string, senderPhone: string, senderDevice: number): boolean {
  return !!account.senderKeys?.[senderName(groupJid, senderPhone, senderDevice).toString()]
}

export async function decryptSenderKeyMessage(account: Account, onChange: () => void, groupJid: string, senderPhone: string, senderDevice: number, ciphertext: Uint8Array): Promise<proto.IMessage> {
  const cipher = new GroupCipher(store(account, onChange), senderName(groupJid, senderPhone, senderDevice))
  const padded = Buffer.from(await cipher.decrypt(Buffer.from(ciphertext)))
  return waproto.Message.decode(unpadRandomMax16(padded))
}
