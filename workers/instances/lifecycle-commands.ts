// Commands that change an instance's connection: restart, logout, pairing code, settings, resuming a paused one.
import { CommandError, type CommandHandler } from './commands'

const PAIRING_READY_TIMEOUT_MS = 15_000

export function lifecycleHandlers(release: (instanceId: string) => Promise<void>): Record<string, CommandHandler> {
  return {
    restart: async ({ session }) => {
      await session.restart()
      return { restarted: true }
    },
    logout: async ({ session, payload }) => {
      await session.logout()
      await release(session.instance.id)
      return { loggedOut: true, deleteAfter: Boolean(payload.deleteAfter) }
    },
    // The instance's settings changed (lib/services/instances/settings.ts): take them in now.
    apply_settings: async ({ session }) => session.applySettings(),
    // Auto-pause lifted (lib/services/instances/send-health.ts): held sends go out, paced as usual.
    resume_sending: async ({ session }) => session.resumeSending(),
    request_pairing_code: async ({ session, payload }) => {
      const phoneNumber = String(payload.phoneNumber ?? '')
      if (session.isOpen) throw new CommandError('invalid_request', 'This instance is already connected.')
      await session.waitForPairingReady(PAIRING_READY_TIMEOUT_MS)
      const pairingCode = await session.requestPairingCode(phoneNumber)
      return { pairingCode }
    },
  }
}
