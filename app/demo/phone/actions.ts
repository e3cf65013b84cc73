'use server'
import { cookies } from 'next/headers'
import { ApiError } from '@/lib/api/errors'
import { currentUser } from '@/lib/auth/session'
import { OWN_PHONE_NAME, PHONE_COOKIE, defaultOwnPhone, isDemoMode, normalisePhone, phoneSimulator, virtualPhoneAvailable } from '@/lib/demo/mode'
import { SAMPLE_PHOTO } from '@/lib/demo/sample-photo'
import { formatPhone } from '@/lib/demo/format'
import { findByName } from '@/lib/store/instances'
import { findInstance } from '@/lib/services/instances/instances'
import { liveState } from '@/lib/services/instances/lifecycle'
import { shownStateOf } from '@/lib/instances/status-codes'
import { requireSandboxSendRoom } from '@/lib/services/sandbox/limits'

export type DemoActionResult = { ok: true; message?: string; id?: string; queued?: boolean } | { ok: false; error: string; field?: string }

async function demoUser() {
  if (!virtualPhoneAvailable()) throw new Error('The virtual phone only exists in demo mode (npm run demo) or with sandboxes on.')
  const user = await currentUser()
  if (!user) throw new Error('Your session ended. Log in again.')
  return user
}

/** The simulator's "409: …" / "404: …" answers, in words for the person at the virtual phone. */
function simulatorProblem(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  if (/fetch failed|ECONNREFUSED/i.test(text)) return 'The WhatsApp simulator is not answering. Is `npm run demo` still running?'
  return text.replace(/^\w+ \S+ → \d+: /, '')
}

const COOKIE_OPTIONS = { httpOnly: true, sameSite: 'lax' as const, path: '/', maxAge: 365 * 24 * 3600 }

/**
 * "Scan QR": the virtual phone `phone` (the WhatsApp account the instance will send as) scans the
 * QR the instance page shows right now, exactly as a phone's camera would.
 */
export async function scanQrAction(instanceName: string, input: { phone: string }): Promise<DemoActionResult> {
  const user = await demoUser()
  const phone = normalisePhone(input.phone)
  if (!phone) return { ok: false, field: 'phone', error: 'Enter a number with its country code: 10 to 15 digits, like +1 555 000 1234.' }
  const jar = await cookies()
  jar.set(PHONE_COOKIE, phone, COOKIE_OPTIONS)
  return scanAs(user, instanceName, phone)
}

/** The instance page's shortcut: scan with the number last used on the virtual phone (or this account's default one). */
export async function scanWithVirtualPhoneAction(instanceName: string): Promise<DemoActionResult> {
  const user = await demoUser()
  const phone = normalisePhone((await cookies()).get(PHONE_COOKIE)?.value ?? '') ?? defaultOwnPhone(user.userId)
  return scanAs(user, instanceName, phone)
}

async function scanAs(user: Awaited<ReturnType<typeof demoUser>>, instanceName: string, phone: string): Promise<DemoActionResult> {
  try {
    const instance = await findInstance({ ctx: user, input: { name: instanceName } })
    const row = await findByName(user.userId, instanceName)
    if (row?.sandbox) return { ok: true, message: `${instanceName} is a sandbox instance: its phone links itself when you click Connect.` }
    if (!isDemoMode()) return { ok: false, error: 'Only sandbox instances can be linked by the virtual phone here.' }
    const state = await liveState(instance)
    if (shownStateOf(state) === 'open') return { ok: false, error: `${instanceName} is already connected (to +${state.phoneNumber}).` }
    if (!state.qr) return { ok: false, error: `${instanceName} is not showing a QR code right now. Open it and click Connect first.` }
    await (await phoneSimulator(user.userId, undefined)).scanQr(state.qr.code, phone, OWN_PHONE_NAME)
    return { ok: true, message: `Scanned. ${formatPhone(phone)} is linking ${instanceName}; it turns Connected in a moment.` }
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.message }
    const problem = simulatorProblem(error)
    if (/unknown|expired|no companion|ref/i.test(problem)) return { ok: false, error: 'That QR code just expired. A new one is up: scan again.' }
    return { ok: false, error: `The scan failed: ${problem}` }
  }
}

/** Adds (or renames) a simulated WhatsApp account to chat as. */
export async function createContactAction(input: { name: string; phone: string }, instanceName?: string): Promise<DemoActionResult> {
  const user = await demoUser()
  // A sandbox instance's contacts are made in the account's own sandbox world.
  const instance = instanceName ? await findByName(user.userId, instanceName) : undefined
  if (!instance?.sandbox && !isDemoMode()) return { ok: false, error: 'Pick a sandbox instance first.' }
  const phone = normalisePhone(input.phone)
  if (!phone) return { ok: false, field: 'phone', error: 'Enter a number with its country code: 10 to 15 digits.' }
  const name = input.name.trim().slice(0, 60)
  if (!name) return { ok: false, field: 'name', error: 'Give the contact a name.' }
  try {
    const sim = await phoneSimulator(user.userId, instance)
    const existing = await sim.call<{ companions: unknown[] }>('GET', `/accounts/${phone}`).catch(() => undefined)
    if (existing && existing.companions.length > 0) return { ok: false, field: 'phone', error: 'That number has a linked device (it is an instance’s own phone). Pick another.' }
    await sim.createAccount(phone, name)
    return { ok: true, id: phone }
  } catch (error) {
    return { ok: false, error: simulatorProblem(error) }
  }
}

export type ContactMessage = { kind: 'text'; text: string } | { kind: 'location' } | { kind: 'photo' } | { kind: 'vote'; pollId: string; options: string[] }

/** The contact sends to the number paired to the instance (the simulated contact's phone encrypts and delivers it). */
export async function sendFromContactAction(instanceName: string, contactPhone: string, content: ContactMessage): Promise<DemoActionResult> {
  const user = await demoUser()
  const contact = normalisePhone(contactPhone)
  if (!contact) return { ok: false, error: 'Pick a contact first.' }
  const instance = await findByName(user.userId, instanceName)
  if (!instance) return { ok: false, error: `No instance named "${instanceName}" in this account.` }
  if (!instance.sandbox && !isDemoMode()) return { ok: false, error: `${instanceName} is not a sandbox instance.` }
  if (!instance.phoneNumber) return { ok: false, error: `${instanceName} is not linked to a phone yet. Scan its QR code first.` }
  const to = instance.phoneNumber
  if (content.kind === 'text' && !content.text.trim()) return { ok: false, error: 'Type a message first.' }
  const body =
    content.kind === 'text'
      ? { to, text: content.text.slice(0, 4096) }
      : content.kind === 'vote'
        ? { to, vote: { messageId: content.pollId, options: content.options.slice(0, 12) } }
        : content.kind === 'location'
        ? { to, location: { latitude: 48.8584, longitude: 2.2945, name: 'Eiffel Tower', address: 'Champ de Mars, 75007 Paris' } }
        : { to, media: { type: 'image' as const, base64: SAMPLE_PHOTO.base64, mimetype: SAMPLE_PHOTO.mimetype, caption: SAMPLE_PHOTO.caption } }
  try {
    if (instance.sandbox) await requireSandboxSendRoom(instance)
    const sent = await (await phoneSimulator(user.userId, instance)).send(contact, body)
    const queued = sent.deliveries.length > 0 && sent.deliveries.every((delivery) => delivery.status === 'queued')
    return { ok: true, id: sent.id, queued }
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: error.message }
    const problem = simulatorProblem(error)
    if (/no linked device/i.test(problem)) return { ok: false, error: `${instanceName} was unlinked from +${to}. Pair it again to chat.` }
    return { ok: false, error: `Not sent: ${problem}` }
  }
}
