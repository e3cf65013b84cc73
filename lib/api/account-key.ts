import 'server-only'
import { accountContext, findUserById, type AccountContext } from '@/lib/services/accounts/users'
import { ApiError } from './errors'
import { keyAuth, type KeyAuth } from './data-plane'
import type { Authenticator } from './handler'

/**
 * keyAuth (401, 403 ip_not_allowed, the rate limit), then the key's scope: the routes that manage
 * instances and keys need an account key (403 insufficient_scope for an instance key).
 */
export const accountKeyAuth: Authenticator<KeyAuth> = async (input) => {
  const { auth, headers } = await keyAuth(input)
  if (auth.apiKey.scope !== 'account') {
    throw new ApiError('insufficient_scope', 'This route needs an account key (scope "account"); mint one in the dashboard or with `sage key:create --scope account`.', undefined, headers)
  }
  return { auth: { apiKey: auth.apiKey, clientIp: auth.clientIp }, headers }
}

/**
 * The webhook API: an account key, or an instance key that is not pinned. Webhooks were managed with
 * any key before scopes existed, so the keys customers already have (all instance keys) keep doing
 * what they did; an unpinned key already reads every instance's events (GET /api/v1/events), so an
 * endpoint that receives them gives it nothing new. A pinned key sees only its instances, while an
 * endpoint may receive the whole account's events: it gets 403 insufficient_scope.
 */
export const webhookKeyAuth: Authenticator<KeyAuth> = async (input) => {
  const { auth, headers } = await keyAuth(input)
  if (auth.apiKey.scope !== 'account' && auth.apiKey.pinnedInstanceIds.length > 0) {
    throw new ApiError(
      'insufficient_scope',
      'A key pinned to instances cannot manage webhooks (an endpoint may receive every instance’s events): use an account key or an unpinned key.',
      undefined,
      headers,
    )
  }
  return { auth: { apiKey: auth.apiKey, clientIp: auth.clientIp }, headers }
}

/** The acting account as the services want it (the verified-email rule reads it). */
export async function keyAccount(auth: KeyAuth): Promise<AccountContext> {
  const user = await findUserById(auth.apiKey.userId)
  if (!user) throw new ApiError('unauthorized', 'The account of this key no longer exists.')
  return accountContext(user)
}

/** The instances a key may see: all of its account's (undefined) for an account key or an unpinned one, else its pinned set. */
export function visibleInstanceIds(auth: KeyAuth): string[] | undefined {
  if (auth.apiKey.scope === 'account' || auth.apiKey.pinnedInstanceIds.length === 0) return undefined
  return auth.apiKey.pinnedInstanceIds
}
