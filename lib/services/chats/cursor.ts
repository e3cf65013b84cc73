import 'server-only'
import { z } from 'zod'
import { ApiError } from '@/lib/api/errors'

/**
 * Page cursors of the chat read endpoints: where the previous page ended, as base64url JSON. Opaque
 * to clients (only ever passed back), checked on the way in: a cursor that does not decode to the
 * expected position is a 400 naming `cursor`, never a 500 or a silently restarted listing.
 */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url')
}

export function decodeCursor<T>(cursor: string | undefined, shape: z.ZodType<T>): T | undefined {
  if (cursor === undefined) return undefined
  let decoded: unknown
  try {
    decoded = /^[A-Za-z0-9_-]+$/.test(cursor) ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined
  } catch {
    decoded = undefined
  }
  const parsed = shape.safeParse(decoded)
  if (!parsed.success) throw new ApiError('invalid_request', 'The cursor is not one this endpoint gave out.', [{ field: 'cursor', message: 'Use the nextCursor of the previous page, as it came' }])
  return parsed.data
}

const Jid = z.string().min(1).max(200)
const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
const Seconds = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export const MessageCursor = z.object({ t: Seconds, i: Uuid }).strict()
export const ChatCursor = z.object({ t: Seconds, j: Jid }).strict()
export const ContactCursor = z.object({ j: Jid }).strict()
