import 'server-only'
import type { NextRequest } from 'next/server'
import { config } from '@/lib/config'
import { ApiError } from '@/lib/api/errors'
import type { Authenticator } from '@/lib/api/handler'
import { currentUser, type SessionUser } from './session'

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Cookies ride along on cross-site requests, so a cookie-authenticated write must come from our own
 * pages. Browsers send Sec-Fetch-Site and Origin on every cross-site POST; a request without either
 * comes from a non-browser client, which has no ambient cookie to abuse.
 */
export function assertSameOrigin(request: NextRequest): void {
  if (WRITE_METHODS.has(request.method)) assertSameOriginWrite(request.headers)
}

/** The same check for a write known to be one (a server action is always a POST), from its headers. */
export function assertSameOriginWrite(headers: Headers): void {
  const fetchSite = headers.get('sec-fetch-site')
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') throw crossSite()
  const origin = headers.get('origin')
  if (origin === null) return
  let originHost: string
  try {
    originHost = new URL(origin).host
  } catch {
    throw crossSite()
  }
  const allowed = new Set([new URL(config().APP_URL).host, headers.get('host')].filter(Boolean))
  if (!allowed.has(originHost)) throw crossSite()
}

function crossSite(): ApiError {
  return new ApiError('forbidden', 'Cross-site requests are not allowed on the account plane.')
}

/** Account plane: the dashboard's session cookie (401 unauthorized without one); writes must be same-origin (403 forbidden). */
export const sessionAuth: Authenticator<SessionUser> = async ({ request }) => {
  assertSameOrigin(request)
  const user = await currentUser()
  if (!user) throw new ApiError('unauthorized', 'Log in first: this endpoint uses the dashboard session cookie.')
  return { auth: user }
}

/** As sessionAuth, and the email must be verified (403 email_not_verified). */
export const verifiedSessionAuth: Authenticator<SessionUser> = async (input) => {
  const result = await sessionAuth(input)
  if (!result.auth.emailVerified) throw new ApiError('email_not_verified')
  return result
}
