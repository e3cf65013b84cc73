// Accounts, their phones and linked companions; lookups by number and LID.
import { jidDecode } from '@whiskeysockets/baileys'
import { SignalDevice, newSignalDeviceState } from './signal-device.js'
import type { WorldStore } from './store.js'
import type { Account, Companion, ReceiptTiming } from './state.js'

export const normalisePhone = (input: string): string => input.replace(/[^0-9]/g, '')

export class World {
  private readonly devices = new Map<string, SignalDevice>()

  constructor(readonly store: WorldStore) {}

  get state() {
    return this.store.state
  }

  changed(): void {
    this.store.changed()
  }

  isOnWhatsApp(phone: string): boolean {
    const p = normalisePhone(phone)
    if (!p || this.state.notOnWhatsApp.includes(p)) return false
    return !!this.state.accounts[p] || this.state.autoRegister
  }

  setNotOnWhatsApp(phones: string[], notOn = true): void {
    for (const raw of phones) {
      const p = normalisePhone(raw)
      const set = new Set(this.state.notOnWhatsApp)
      if (notOn) set.add(p)
      else set.delete(p)
      this.state.notOnWhatsApp = [...set]
    }
    this.changed()
  }

  account(phone: string): Account | undefined {
    return this.state.accounts[normalisePhone(phone)]
  }

  /** Finds or, for numbers on WhatsApp, creates the account. */
  ensureAccount(phone: string, name?: string): Account | undefined {
    const p = normalisePhone(phone)
    const existing = this.state.accounts[p]
    if (existing) {
      if (name) {
        existing.name = name
        this.changed()
      }
      return existing
    }
    if (!p || this.state.notOnWhatsApp.includes(p)) return undefined
    const account: Account = {
      phone: p,
      lid: String(this.state.nextLid++),
      name: name ?? `Contact ${p.slice(-4)}`,
      phoneDevice: newSignalDeviceState(),
      companions: [],
      nextDeviceId: 1,
      nextKeyIndex: 1,
      inbox: [],
      receipts: []
    }
    this.state.accounts[p] = account
    this.changed()
    return account
  }

  /** Lookup by a user or device JID in either addressing (PN or LID); may auto-register PNs. */
  accountForJid(jid: string, create = true): Account | undefined {
    const d = jidDecode(jid)
    if (!d?.user) return undefined
    if (d.server === 'lid') return Object.values(this.state.accounts).find((a) => a.lid === d.user)
    if (d.server !== 's.whatsapp.net') return undefined
    return create && this.isOnWhatsApp(d.user) ? this.ensureAccount(d.user) : this.account(d.user)
  }

  phoneDevice(account: Account): SignalDevice {
    let dev = this.devices.get(account.phone)
    if (!dev || dev.state !== account.phoneDevice) {
      dev = new SignalDevice(account.phoneDevice, () => this.changed())
      this.devices.set(account.phone, dev)
    }
    return dev
  }

  companion(account: Account, deviceId: number): Companion | undefined {
    return account.companions.find((c) => c.deviceId === deviceId)
  }

  receiptTiming(account: Account): ReceiptTiming {
    return account.receiptTiming ?? this.state.receiptTiming
  }

  removeCompanion(account: Account, deviceId: number): Companion | undefined {
    const c = this.companion(account, deviceId)
    if (!c) return undefined
    account.companions = account.companions.filter((x) => x !== c)
    for (const other of Object.values(this.state.accounts)) {
      this.phoneDevice(other).forgetSessionsWith(account.phone, deviceId)
    }
    this.changed()
    return c
  }
}
