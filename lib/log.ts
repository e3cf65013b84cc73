import 'server-only'
import pino from 'pino'
import { loggingConfig } from '@/lib/config'

/**
 * Structured JSON logs. Anything that could carry a secret is redacted by path, so a careless
 * `log.info({ headers })` cannot leak an API key or a session cookie.
 */
const { LOG_LEVEL, SAGE_SERVICE } = loggingConfig()

export const log = pino({
  level: LOG_LEVEL,
  base: { service: SAGE_SERVICE },
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
