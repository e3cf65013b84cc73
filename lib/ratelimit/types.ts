export type LimitResult = {
  success: boolean
  limit: number
  remaining: number
  /** Unix ms when the caller may try again (meaningful when success is false). */
  reset: number
}

/** A sliding-window limiter shared by every web process. */
export interface RateLimiter {
  readonly name: string
  limit(bucket: string, max: number, windowMs: number): Promise<LimitResult>
  /** Current state without consuming. */
  peek(bucket: string, max: number, windowMs: number): Promise<LimitResult>
}
