import 'server-only'
import { config } from '@/lib/config'
import { ApiError } from '@/lib/api/errors'
import type { InstanceIdentity } from '@/lib/events/types'
import { rateLimiter } from '@/lib/ratelimit'

/** Which sandbox cap a 429 is about, in its `details.limit` (documented in the sandbox guide). */
export type SandboxLimit = 'sandbox_instances' | 'sandbox_messages_per_minute' | 'sandbox_media_bytes'

export function sandboxLimitError(limit: SandboxLimit, max: number, message: string, retryAfterSeconds?: number): ApiError {
  return new ApiError('rate_limited', message, { limit, max }, retryAfterSeconds ? { 'Retry-After': String(retryAfterSeconds) } : {})
}

/**
 * Sandboxes are free to use, so what one sandbox instance sends and what its contacts send it is
 * capped per minute (SANDBOX_SENDS_PER_MINUTE), in the shared sliding-window limiter (lib/ratelimit).
 */
export async function requireSandboxSendRoom(instance: Pick<InstanceIdentity, 'id'>): Promise<void> {
  const max = config().SANDBOX_SENDS_PER_MINUTE
  const result = await rateLimiter().limit(`sandbox-messages:${instance.id}`, max, 60_000)
  if (!result.success) {
    const retryAfter = Math.max(1, Math.ceil((result.reset - Date.now()) / 1000))
    throw sandboxLimitError('sandbox_messages_per_minute', max, `A sandbox instance sends and receives at most ${max} messages a minute.`, retryAfter)
  }
}

export function requireSandboxMediaSize(base64: string): void {
  const max = config().SANDBOX_MAX_MEDIA_BYTES
  if (Buffer.byteLength(base64, 'base64') > max) throw sandboxLimitError('sandbox_media_bytes', max, `Sandbox media is at most ${max} bytes.`)
}
