import 'server-only'
import { and, eq, sql } from 'drizzle-orm'
import { WORKER_HEARTBEAT_TTL_SECONDS } from '@/lib/services/status'
import { config } from '@/lib/config'
import { db, schema } from '@/lib/db'
import { verifyKey, type VerifiedKey } from '@/lib/keys/verify'
import { bearerToken } from '@/lib/keys/format'
import { clientIp } from '@/lib/keys/client-ip'
import { addressInCidrs } from '@/lib/keys/cidr'
import { authBlockedUntil, recordAuthFailure } from '@/lib/keys/auth-failures'
import { KEY_WINDOW_MS, rateLimitHeaders, rateLimiter } from '@/lib/ratelimit'
import { ApiError } from './errors'
import type { Authenticator } from './handler'

export type KeyAuth = { apiKey: VerifiedKey; clientIp: string | undefined }
export type InstanceRef = { id: string; name: string; state: 'close' | 'connecting' | 'open' }
export type DataPlaneAuth = KeyAuth & { instance: InstanceRef }

function refusedAddress(until: number): ApiError {
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
  const blocked = authBlockedUntil(ip)
  if (blocked) throw refusedAddress(blocked)

  const token = bearerToken(request.headers.get('authorization'))
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

  const limit = await rateLimiter().limit(`key:${apiKey.id}`, apiKey.rateLimit, KEY_WINDOW_MS)
  const headers = rateLimitHeaders(limit)
  if (!limit.success) throw new ApiError('rate_limited', undefined, undefined, headers)
  return { auth: { apiKey, clientIp: ip, headers }, headers }
}

/** keyAuth, then the instance of the path: 404 for another account's instance, 403 when pinned elsewhere. */
export const dataPlaneAuth: Authenticator<DataPlaneAuth> = async (input) => {
  const { auth, headers } = await keyAuth(input)
  const name = input.params.name ?? ''
  // An `open` row whose worker has stopped beating is really reconnecting: say so, until another worker takes it over.
  const [instance] = await db
    .select({
      id: schema.instances.id,
      name: schema.instances.name,
      state: sql<InstanceRef['state']>`case when ${schema.instances.state} = 'open' and not exists (
          select 1 from ${schema.workers} w where w.id = ${schema.instances.workerId} and w.stopped_at is null
            and w.heartbeat_at > now() - make_interval(secs => ${WORKER_HEARTBEAT_TTL_SECONDS}))
        then 'connecting' else ${schema.instances.state} end`,
    })
    .from(schema.instances)
    .where(and(eq(schema.instances.userId, auth.apiKey.userId), eq(schema.instances.name, name)))
    .limit(1)
  if (!instance) throw new ApiError('instance_not_found', `No instance named "${name}" in your account.`, undefined, headers)
  if (auth.apiKey.pinnedInstanceIds.length > 0 && !auth.apiKey.pinnedInstanceIds.includes(instance.id)) {
    throw new ApiError('instance_not_allowed', `This key is not allowed to use the instance "${name}".`, undefined, headers)
  }
  return { auth: { apiKey: auth.apiKey, clientIp: auth.clientIp, instance }, headers }
}
