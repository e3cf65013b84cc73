import 'server-only'
import { config } from '@/lib/config'
import { clientIp } from '@/lib/keys/client-ip'
import { authBlockedUntil, recordAuthFailure } from '@/lib/keys/auth-failures'
import { redeemStreamTicket } from '@/lib/services/events/stream-tickets'
import { ApiError } from './errors'
import { admitKey, keyAuth, refusedAddress, type KeyAuth } from './data-plane'
import type { Authenticator } from './handler'

/**
 * The event stream's callers: a key in the Authorization header (servers), or `?ticket=` (browsers,
 * whose WebSocket and EventSource cannot send that header). A ticket is the key it was minted with,
 * scope and pinning included; the key's CIDR allowlist was checked when it was minted, since the
 * ticket is made to be handed to a browser elsewhere. Bad tickets count as failed key checks.
 */
export const eventStreamAuth: Authenticator<KeyAuth & { headers: Record<string, string> }> = async (input) => {
  const ticket = input.request.nextUrl.searchParams.get('ticket')
  if (ticket === null) return keyAuth(input)
  if (input.request.headers.get('authorization')) {
    throw new ApiError('invalid_request', 'Send either the Authorization header or a ticket, not both.', [{ field: 'ticket', message: 'Not with an Authorization header' }])
  }
  const ip = clientIp(input.request.headers, config().TRUSTED_PROXIES)
  const blocked = authBlockedUntil(ip)
  if (blocked) throw refusedAddress(blocked)
  const apiKey = await redeemStreamTicket(ticket)
  if (!apiKey) {
    const until = await recordAuthFailure(ip)
    if (until) throw refusedAddress(until)
    throw new ApiError('unauthorized', 'The ticket is unknown, used or expired: tickets open one stream within 60 s. Mint another with POST /api/v1/events/tickets.')
  }
  return admitKey(input.request, apiKey, ip)
}
