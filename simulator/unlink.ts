// The user unlinks a device on the phone: the live socket gets a 401 stream error, later logins get <failure
// reason="401"/>. Baileys turns a stream error's code into the close status (`getErrorCodeFromStreamError` in
// node_modules/@whiskeysockets/baileys/lib/Utils/generics.js), so both are 401 loggedOut.
import { node } from './binary.js'
import type { Hub } from './hub.js'

export function unlinkCompanions(hub: Hub, phone: string, deviceId?: number): number[] {
  const account = hub.world.account(phone)
  if (!account) return []
  const removed: number[] = []
  for (const c of [...account.companions]) {
    if (deviceId !== undefined && c.deviceId !== deviceId) continue
    hub.world.removeCompanion(account, c.deviceId)
    hub.live(account.phone, c.deviceId)?.streamError(401, node('conflict', { type: 'device_removed' }))
    removed.push(c.deviceId)
  }
  return removed
}
