import 'server-only'
import { config } from '@/lib/config'
import type { DataPlaneInstance } from '@/lib/store/instances'
import { findDataPlaneInstance } from '@/lib/instances/data-plane-cache'
import { verifyKey, type VerifiedKey } from '@/lib/keys/verify'
import { bearerToken, hashKey, looksLikeKey } from '@/lib/keys/format'
import { isKnownKeyHash } from '@/lib/keys/known-hashes'
import { clientIp } from '@/lib/keys/client-ip'
import { addressInCidrs } from '@/lib/keys/cidr'
import { authBlockedUntil, recordAuthFailure } from '@/lib/keys/auth-failures'
import { KEY_WINDOW_MS, rateLimitHeaders, rateLimiter } from '@/lib/ratelimit'
import { webMetrics } from '@/lib/metrics/web'
import { noteCaller, noteInstance } from '@/lib/usage/request-caller'
import { ApiError } from './errors'
import type { Authenticator } from './handler'

export type KeyAuth = { apiKey: VerifiedKey; clientIp: string | undefined }
export type InstanceRef = DataPlaneInstance
export type DataPlaneAuth = KeyAuth & { instance: InstanceRef }

export function refusedAddress(until: number): ApiError {
  webMetrics().rateLimitRefusals.inc({ reason: 'auth_failures' })
  const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000))
  return new ApiError('rate_limited', 'Too many failed authentication attempts from this address.', undefined, {
    'Retry-After': String(seconds),
  })
}

/**
 * The key checks in the order the README gives ("The API in brief", Keys): 401 unauthorized, 403 ip_not_allowed, then the per-key
 * rate limit (whose headers ride on every later response, errors included).
 */
export const keyAuth: Authenticator<KeyAuth & { headers: Record<string, string> }> = async ({ request }) => {
  const ip = clientIp(request.headers, config().TRUSTED_PROXIES)
  const token = bearerToken(request.headers.get('authorization'))
  // An address over its failure budget may be shared (a customer's NAT) with whoever is guessing:
  // only its unknown keys are refused, from memory, and its real keys go on working.
  const blocked = authBlockedUntil(ip)
  if (blocked && !(token && looksLikeKey(token) && (await isKnownKeyHash(hashKey(token))))) throw refusedAddress(blocked)

  const apiKey = token ? await verifyKey(token) : null
  if (!apiKey) {
    const until = await recordAuthFailure(ip)
    if (until) throw refusedAddress(until)
    throw new ApiError('unauthorized', token ? 'The API key is unknown or revoked.' : 'Send your API key as "Authorization: Bearer sage_…".')
  }
  if (apiKey.cidrs.length > 0 && !(ip && addressInCidrs(ip, apiKey.cidrs))) {
    await recordAuthFailure(ip)
    throw new ApiError('ip_not_allowed', `The source IP ${ip ?? '(unknown)'} is outside this key's CIDR allowlist.`)
  }

  return admitKey(request, apiKey, ip)
}

/** The checks after the key is known (also for a key that an event-stream ticket stands for): usage, then the per-key rate limit. */
export async function admitKey(request: object, apiKey: VerifiedKey, ip: string | undefined) {
  noteCaller(request, { userId: apiKey.userId, keyId: apiKey.id })
  const limit = await rateLimiter().limit(`key:${apiKey.id}`, apiKey.rateLimit, KEY_WINDOW_MS)
  const headers = rateLimitHeaders(limit)
  if (!limit.success) {
    webMetrics().rateLimitRefusals.inc({ reason: 'key' })
    throw new ApiError('rate_limited', undefined, undefined, headers)
  }
  return { auth: { apiKey, clientIp: ip, headers }, headers }
}

/** keyAuth, then the instance of the path: 404 for another account's instance, 403 when pinned elsewhere. */
export const dataPlaneAuth: Authenticator<DataPlaneAuth> = async (input) => {
  const { auth, headers } = await keyAuth(input)
  const name = input.params.name ?? ''
  const instance = await findDataPlaneInstance(auth.apiKey.userId, name)
  if (!instance) throw new ApiError('instance_not_found', `No instance named "${name}" in your account.`, undefined, headers)
  noteInstance(input.request, instance.id)
  if (auth.apiKey.pinnedInstanceIds.length > 0 && !auth.apiKey.pinnedInstanceIds.includes(instance.id)) {
    throw new ApiError('instance_not_allowed', `This key is not allowed to use the instance "${name}".`, undefined, headers)
  }
  return { auth: { apiKey: auth.apiKey, clientIp: auth.clientIp, instance }, headers }
}
