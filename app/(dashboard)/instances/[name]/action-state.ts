import type { InstanceLiveState } from '@/lib/services/instances/lifecycle'

/** What the instance page's buttons get back: the fresh state to show at once, or why it was refused. */
export type InstanceActionResult = { ok: true; state: InstanceLiveState; notice?: string } | { ok: false; error: string }

export type PairingCodeState = { nonce?: string; phoneNumber?: string; state?: InstanceLiveState; fieldError?: string; formError?: string }

export type DeleteState = { nonce?: string; fieldError?: string; formError?: string }
