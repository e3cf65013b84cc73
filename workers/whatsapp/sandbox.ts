// Sandbox instances: their socket connects to the account's world in the sandbox service
// (simulator/sandbox-service.ts) instead of WhatsApp, and their phone links itself.
import { createHash } from 'node:crypto'
import { SandboxServiceClient, SimulatorClient, type SandboxWorld } from '@/simulator/client'
import type { InstanceIdentity } from '@/lib/events/types'
import { sandboxWorldOf } from '@/lib/sandbox/world'
import { sandboxTransport, type TrustedTransport } from './root-key-trust'

export type SandboxConnection = {
  world: SandboxWorld
  transport: Required<TrustedTransport>
  /** The number of the sandbox phone the instance links to. */
  phone: string
}

/**
 * The instance's own sandbox number, the same at every link: +1 555 9xx xxxx from its id. Contacts
 * a customer makes are other numbers of the same world (the API refuses the instance's own).
 */
export function sandboxPhoneOf(instanceId: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(`sandbox-phone:${instanceId}`).digest('hex').slice(0, 12)}`) % 1_000_000n
  return `15559${digits.toString().padStart(6, '0')}`
}

/** Finds (or starts) the account's world and the transport its media host needs. */
export async function sandboxConnection(serviceUrl: string, instance: InstanceIdentity): Promise<SandboxConnection> {
  const world = await new SandboxServiceClient(serviceUrl).world(sandboxWorldOf(instance.userId))
  return { world, transport: sandboxTransport(world.mediaCaPem, new URL(world.mediaUrl).host), phone: sandboxPhoneOf(instance.id) }
}

/** The sandbox phone scans the QR the socket just showed: what a person would do with a real phone. */
export async function linkSandboxPhone(connection: SandboxConnection, qr: string, pushName: string): Promise<void> {
  await new SimulatorClient(connection.world.controlUrl).scanQr(qr, connection.phone, pushName)
}
