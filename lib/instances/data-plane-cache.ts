import 'server-only'
import { CHANNELS } from '@/lib/bus/channels'
import { subscribe } from '@/lib/bus/listener'
import { findForDataPlane, type DataPlaneInstance } from '@/lib/store/instances'

/**
 * The data plane's instance lookup, remembered per account and name so that a busy key's requests
 * need no query for their instance. Kept fresh two ways:
 * - every `sage_instance_changed` (each state change, connection request, logout, deletion) drops
 *   that instance, and every `sage_event_recorded` drops the account's instances, so whatever a
 *   customer has seen in a webhook or the event stream, the data plane shows at least as new;
 * - an entry is trusted for at most TTL_MS, which bounds what no notification announces (a worker
 *   that stops beating turns `open` into `connecting`) and a notification lost while the LISTEN
 *   connection was down: the same second that key edits and revocations have (lib/keys/verify.ts).
 * Nothing is remembered until the LISTEN is in place, and a lookup that raced a notification is not
 * remembered either (its row may predate the change).
 */
const TTL_MS = 900
const MAX_ACCOUNTS = 10_000

type Entry = { instance: DataPlaneInstance; expiresAt: number }

/**
 * On globalThis, like the metrics registry (lib/metrics/web.ts): every route bundle of the Next server
 * must see one cache, so that a deletion through one route is forgotten by all.
 */
function createState() {
  return {
    byAccount: new Map<string, Map<string, Entry>>(),
    accountOfInstance: new Map<string, string>(),
    /**
     * A lookup fills the cache only if no notification that could concern it arrived while it ran:
     * instance changes are counted for all (the instance's account may not be known here), events per account.
     */
    instanceChanges: 0,
    accountEvents: new Map<string, number>(),
    listening: undefined as Promise<void> | undefined,
    listeningReady: false,
  }
}
const globalForCache = globalThis as unknown as { sageDataPlaneInstances?: ReturnType<typeof createState> }
const state = (globalForCache.sageDataPlaneInstances ??= createState())

/** Starts this process's LISTEN for the notifications that drop entries; nothing is remembered before it is in place. */
export function listenForInstanceChanges(): Promise<void> {
  state.listening ??= Promise.all([subscribe(CHANNELS.instanceChanged, forgetInstance), subscribe(CHANNELS.eventRecorded, forgetAccount)]).then(
    () => {
      state.listeningReady = true
    },
    (error) => {
      state.listening = undefined // tried again by the next lookup
      throw error
    },
  )
  return state.listening
}

/** The account's instance by name (as `findForDataPlane`), at most TTL_MS old and never older than a notification about it. */
export async function findDataPlaneInstance(userId: string, name: string): Promise<DataPlaneInstance | undefined> {
  if (!state.listeningReady) listenForInstanceChanges().catch(() => {})
  const entry = state.byAccount.get(userId)?.get(name)
  if (entry && entry.expiresAt > Date.now()) return entry.instance
  const changesBefore = state.instanceChanges
  const eventsBefore = state.accountEvents.get(userId)
  const instance = await findForDataPlane(userId, name)
  // Only rows that exist are remembered: a name created a moment ago must work at once.
  if (instance && state.listeningReady && changesBefore === state.instanceChanges && eventsBefore === state.accountEvents.get(userId)) remember(userId, name, instance)
  return instance
}

function remember(userId: string, name: string, instance: DataPlaneInstance): void {
  let names = state.byAccount.get(userId)
  if (!names) {
    if (state.byAccount.size >= MAX_ACCOUNTS) forgetAll()
    names = new Map()
    state.byAccount.set(userId, names)
  }
  names.set(name, { instance, expiresAt: Date.now() + TTL_MS })
  state.accountOfInstance.set(instance.id, userId)
}

/** Drops one instance (by id). Also called directly by whoever deleted it, so this process never answers for it again. */
export function forgetInstance(instanceId: string): void {
  state.instanceChanges++
  const userId = state.accountOfInstance.get(instanceId)
  if (userId === undefined) return
  state.accountOfInstance.delete(instanceId)
  const names = state.byAccount.get(userId)
  if (!names) return
  for (const [name, entry] of names) if (entry.instance.id === instanceId) names.delete(name)
}

function forgetAccount(userId: string): void {
  if (state.accountEvents.size >= MAX_ACCOUNTS) {
    state.accountEvents.clear()
    state.instanceChanges++ // a cleared count could come back to the value an in-flight lookup saw
  }
  state.accountEvents.set(userId, (state.accountEvents.get(userId) ?? 0) + 1)
  const names = state.byAccount.get(userId)
  if (!names) return
  state.byAccount.delete(userId)
  for (const entry of names.values()) state.accountOfInstance.delete(entry.instance.id)
}

function forgetAll(): void {
  state.byAccount.clear()
  state.accountOfInstance.clear()
}
