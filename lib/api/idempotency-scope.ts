import 'server-only'
import { AsyncLocalStorage } from 'node:async_hooks'

/** The Idempotency-Key a request runs under: its account, the key, and the request's fingerprint. */
export type IdempotencyScope = { userId: string; key: string; fingerprint: string }

const current = new AsyncLocalStorage<IdempotencyScope>()

/** Runs `run` as the effect of this key, so what it writes can be tied to the key (see sendMessage). */
export function runUnderIdempotencyKey<T>(scope: IdempotencyScope, run: () => Promise<T>): Promise<T> {
  return current.run(scope, run)
}

/** The key the current request runs under, if it brought one. */
export function currentIdempotencyScope(): IdempotencyScope | undefined {
  return current.getStore()
}
