import type { InstanceState } from '@/lib/instances/status-codes'

export type InstanceChoice = { name: string; state: InstanceState }

/**
 * The instance an example should use (the key dialog's curl, /docs examples and "Try it"): one the
 * key may reach (`pinned`, empty for all) and that is connected, so the first call a customer tries
 * answers 200 rather than 403 or instance_not_connected. Falls back to the first reachable one, then
 * to the first pinned name, then to none. `instances` is in the account's order (oldest first).
 */
export function defaultInstance(instances: readonly InstanceChoice[], pinned: readonly string[] = []): string | undefined {
  const reachable = pinned.length ? instances.filter((instance) => pinned.includes(instance.name)) : instances
  return reachable.find((instance) => instance.state === 'open')?.name ?? reachable[0]?.name ?? pinned[0]
}
