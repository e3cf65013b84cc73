import { randomBytes } from 'node:crypto'

/** The id of one request: in its log lines, its X-Request-Id header and every error body. */
export function newRequestId(): string {
  return `req_${randomBytes(12).toString('base64url')}`
}
