import 'server-only'
import NextAuth, { CredentialsSignin } from 'next-auth'
import Credentials from 'next-auth/providers/credentials'
import { config } from '@/lib/config'
import { clientIp } from '@/lib/keys/client-ip'
import { log } from '@/lib/log'
import { logIn } from '@/lib/services/accounts/login'

export const SESSION_MAX_AGE_SECONDS = 14 * 24 * 60 * 60

/** Wrong email or password: one message for both, so the form never hints whether an account exists. */
export class InvalidCredentials extends CredentialsSignin {
  code = 'invalid_credentials'
}

/** Too many failed attempts from this address or on this account. */
export class LoginThrottled extends CredentialsSignin {
  code = 'throttled'
  constructor(readonly retryAfterSeconds: number) {
    super()
  }
}

/**
 * Auth.js with one Credentials provider and a JWT session in an HttpOnly cookie (Secure when
 * APP_URL is https). The token carries the user id and the session_version it was minted under;
 * `currentUser()` refuses a token whose version is older than the account's (a password reset).
 * Built lazily: `next build` imports this without a runtime environment.
 */
export const { auth, signIn, signOut } = NextAuth(() => {
  const settings = config()
  return {
    secret: settings.AUTH_SECRET,
    trustHost: true,
    useSecureCookies: settings.APP_URL.startsWith('https://'),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      Credentials({
        credentials: { email: {}, password: {} },
        authorize: async (credentials, request) => {
          const result = await logIn({
            email: credentials.email,
            password: credentials.password,
            ip: clientIp(request.headers, settings.TRUSTED_PROXIES),
          })
          if (result.ok) return { id: result.user.id, email: result.user.email, sessionVersion: result.user.sessionVersion }
          if (result.reason === 'throttled') throw new LoginThrottled(result.retryAfterSeconds)
          throw new InvalidCredentials()
        },
      }),
    ],
    callbacks: {
      jwt: ({ token, user }) => {
        if (user) token.sv = (user as { sessionVersion?: number }).sessionVersion
        return token
      },
      session: ({ session, token }) => {
        Object.assign(session, { userId: token.sub, sessionVersion: token.sv })
        return session
      },
    },
    logger: {
      // Failed log-ins are expected and already answered on the form; everything else is worth a line.
      error: (error: Error) => {
        if (error instanceof CredentialsSignin) return
        log.error({ err: error }, 'auth error')
      },
      warn: (code: string) => log.warn({ code }, 'auth warning'),
      debug: () => {},
    },
  }
})
