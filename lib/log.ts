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

/**
 * Every API request's one line (lib/api/handler.ts): on a busy data plane, a write(2) per line cost
 * more CPU than the rest of the key check (≈ 12 µs a line to a pipe, against ≈ 3 µs for lines
 * gathered into writes of a few KB). So these lines gather in memory and are written, synchronously
 * and whole, once 2 KB have gathered, at least every REQUEST_LOG_FLUSH_MS, and when the process
 * exits: one that is killed loses at most that second's lines. Nothing else is delayed: warnings
 * and errors go through `log`, written at once. Each write stays under PIPE_BUF (4 KB) and holds
 * whole lines, so lines never interleave with `log`'s on a pipe. Its fields are fixed and hold no
 * secret (request id, method, path, status, time), so it needs no redaction.
 */
const REQUEST_LOG_FLUSH_MS = 1000
const globalForLog = globalThis as unknown as { sageRequestLog?: pino.Logger }

export function requestLog(): pino.Logger {
  if (globalForLog.sageRequestLog) return globalForLog.sageRequestLog
  const destination = pino.destination({ dest: 1, sync: true, minLength: 2048, maxWrite: 4096 })
  setInterval(() => destination.flush(), REQUEST_LOG_FLUSH_MS).unref()
  process.on('exit', () => destination.flushSync())
  globalForLog.sageRequestLog = pino({ level: LOG_LEVEL, base: { service: SAGE_SERVICE } }, destination)
  return globalForLog.sageRequestLog
}
