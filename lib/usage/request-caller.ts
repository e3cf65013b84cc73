import 'server-only'
import { config } from '@/lib/config'
import { countRequest, type Caller } from './counter'

/**
 * Who made an API call, noted by the key checks as they learn it (the key, then the path's
 * instance), so the route wrapper can count the answer, refusals included (a 429 is known only
 * after the key is). Keyed by the request object, so nothing outlives the request.
 */
const callers = new WeakMap<object, Caller>()

let counting: boolean | undefined

export function noteCaller(request: object, caller: Caller): void {
  counting ??= !config().USAGE_COUNTING_OFF
  if (counting) callers.set(request, caller)
}

export function noteInstance(request: object, instanceId: string): void {
  const caller = callers.get(request)
  if (caller) caller.instanceId = instanceId
}

/** Counts the answer of a request whose key was recognised; calls without a valid key are not anyone's usage. */
export function countAnswer(request: object, status: number): void {
  const caller = callers.get(request)
  if (caller) countRequest(caller, status)
}
