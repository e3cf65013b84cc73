import 'server-only'
import { createHash } from 'node:crypto'
import { config } from '@/lib/config'
import { SandboxServiceClient, SimulatorClient } from '@/simulator/client'
import { sandboxWorldOf } from '@/lib/sandbox/world'

/**
 * Demo mode: `npm run demo` runs the local WhatsApp simulator and sets WA_SIMULATOR_CONTROL_URL.
 * Never in production, whatever the environment says: the virtual phone drives simulated accounts.
 */
export function isDemoMode(): boolean {
  const settings = config()
  return Boolean(settings.WA_SIMULATOR_CONTROL_URL) && !settings.isProduction
}

/** The simulator's control API; only call in demo mode. */
export function simulator(): SimulatorClient {
  const url = config().WA_SIMULATOR_CONTROL_URL
  if (!url || config().isProduction) throw new Error('demo mode is off')
  return new SimulatorClient(url.replace(/\/$/, ''))
}

/**
 * The virtual phone exists in demo mode (every instance) and wherever sandboxes are on (sandbox
 * instances only, in any environment, production included: they never reach a real phone).
 */
export function virtualPhoneAvailable(): boolean {
  return isDemoMode() || config().SANDBOX_ENABLED
}

/** The simulator an instance talks to: its account's sandbox world, or the demo's simulator. */
export async function phoneSimulator(userId: string, instance: { sandbox: boolean } | undefined): Promise<SimulatorClient> {
  if (instance?.sandbox) return new SandboxServiceClient(config().SANDBOX_URL).control(sandboxWorldOf(userId))
  return simulator()
}

/** The first contact every virtual phone has. */
export const DEFAULT_CONTACT = { phone: '919876543210', name: 'Alice' }

export const PHONE_COOKIE = 'sage-demo-phone'
/** The virtual phone's WhatsApp profile name (the simulator's default would be "Contact 1234"). */
export const OWN_PHONE_NAME = 'My Business'

/** A stable made-up number per account (+1 555 0xx xxxx), so each user's "own phone" differs without storing anything. */
export function defaultOwnPhone(userId: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(`demo-phone:${userId}`).digest('hex').slice(0, 12)}`) % 1_000_000n
  return `15550${digits.toString().padStart(6, '0')}`
}

/** "+91 98765-43210" → "919876543210"; undefined unless 10–15 digits (the API's rule for `number`). */
export function normalisePhone(value: string): string | undefined {
  const digits = value.replace(/[\s+\-().]/g, '')
  return /^\d{10,15}$/.test(digits) ? digits : undefined
}
