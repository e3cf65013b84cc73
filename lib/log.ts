import 'server-only'
import pino from 'pino'

/**
 * Structured JSON logs. Anything that could carry a secret is redacted by path, so a careless
 * `log.info({ headers })` cannot leak an API key or a session cookie.
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.SAGE_SERVICE ?? 'web' },
  redact: {
    paths: [
      'authorization',
      '*.authorization',
      'headers.authorization',
      'headers.cookie',
      '*.headers.authorization',
      '*.headers.cookie',
      'password',
      '*.password',
      'secret',
      '*.secret',
      'apiKey',
      '*.apiKey',
      'token',
      '*.token',
    ],
    censor: '[redacted]',
  },
})

export type Logger = typeof log
