import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { awaitCommand } from '@/lib/bus/commands'
import { config } from '@/lib/config'
import { checkProxyHost, sealProxy, unsealProxy, UnsafeProxyError, type ProxyConfig } from '@/lib/instances/proxy'
import type { ProxyProtocol } from '@/lib/instances/proxy-protocols'
import { enqueueCommand } from '@/lib/store/commands'
import { readInstanceSettings, updateInstanceProxy, updateInstanceSettings, type InstanceSettings, type InstanceSettingsRow } from '@/lib/store/instance-settings'
import { sendability } from '@/lib/store/instances'
import type { SendPolicy } from '@/lib/messages/send-policy'
import type { InstanceRef } from './lifecycle'

/**
 * Instance settings and the proxy, for the API, the dashboard and the CLI alike. A change is saved
 * first; then, if a worker holds the instance, it is told to apply it at once (`apply_settings`):
 * switches take effect on the live socket, a proxy change reconnects through the new proxy. An
 * instance no worker holds reads its settings when its socket next starts.
 */
export type SettingsView = {
  rejectCall: boolean
  msgCall: string | null
  groupsIgnore: boolean
  statusIgnore: boolean
  channelsIgnore: boolean
  alwaysOnline: boolean
  readMessages: boolean
  readStatus: boolean
  syncFullHistory: boolean
  sendPolicy: SendPolicy
}

export type SettingsChange = Partial<Omit<SettingsView, 'sendPolicy'>> & { sendPolicy?: Partial<SendPolicy> }

export type ProxyView = { enabled: boolean; host: string | null; port: number | null; protocol: ProxyProtocol | null; username: string | null; hasPassword: boolean }

export type ProxyChange = { enabled: boolean; host?: string; port?: number; protocol?: ProxyProtocol; username?: string | null; password?: string | null }

const APPLY_TIMEOUT_MS = 10_000

function settingsView(row: InstanceSettings): SettingsView {
  return {
    rejectCall: row.rejectCalls,
    msgCall: row.callReplyText,
    groupsIgnore: row.ignoreGroups,
    statusIgnore: row.ignoreStatus,
    channelsIgnore: row.ignoreChannels,
    alwaysOnline: row.alwaysOnline,
    readMessages: row.readMessages,
    readStatus: row.readStatus,
    syncFullHistory: row.syncFullHistory,
    sendPolicy: row.sendPolicy,
  }
}

export async function getSettings(instance: InstanceRef): Promise<SettingsView> {
  return settingsView(await readInstanceSettings(instance.id))
}

export async function changeSettings(instance: InstanceRef, change: SettingsChange): Promise<SettingsView> {
  // The policy is one value: a change merges into the stored one (the worker reads it on every pass).
  const sendPolicy = change.sendPolicy ? { ...(await readInstanceSettings(instance.id)).sendPolicy, ...definedOnly(change.sendPolicy) } : undefined
  const row = await updateInstanceSettings(instance.id, {
    sendPolicy,
    rejectCalls: change.rejectCall,
    callReplyText: change.msgCall === undefined ? undefined : change.msgCall?.trim() || null,
    ignoreGroups: change.groupsIgnore,
    ignoreStatus: change.statusIgnore,
    ignoreChannels: change.channelsIgnore,
    alwaysOnline: change.alwaysOnline,
    readMessages: change.readMessages,
    readStatus: change.readStatus,
    syncFullHistory: change.syncFullHistory,
  })
  await tellHoldingWorker(instance)
  return settingsView(row)
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>
}

function storedProxy(instance: InstanceRef, row: InstanceSettingsRow): ProxyConfig | null {
  return row.proxySealed ? unsealProxy(instance.id, row.proxySealed) : null
}

function proxyView(enabled: boolean, proxy: ProxyConfig | null): ProxyView {
  return {
    enabled: enabled && proxy !== null,
    host: proxy?.host ?? null,
    port: proxy?.port ?? null,
    protocol: proxy?.protocol ?? null,
    username: proxy?.username ?? null,
    hasPassword: Boolean(proxy?.password),
  }
}

export async function getProxy(instance: InstanceRef): Promise<ProxyView> {
  const row = await readInstanceSettings(instance.id)
  return proxyView(row.proxyEnabled, storedProxy(instance, row))
}

/**
 * Sets or removes the proxy. The host must resolve to public addresses unless the operator allows
 * private ones (PROXY_ALLOW_PRIVATE_HOSTS); the worker checks again each time it connects.
 */
export async function changeProxy(instance: InstanceRef, change: ProxyChange): Promise<ProxyView> {
  if (!change.enabled) {
    await updateInstanceProxy(instance.id, { enabled: false, sealed: null })
    await tellHoldingWorker(instance)
    return proxyView(false, null)
  }
  if (!change.host || !change.port || !change.protocol) throw new ApiError('invalid_request', 'host, port and protocol are required when enabled is true.')
  try {
    await checkProxyHost(change.host, { allowPrivate: config().PROXY_ALLOW_PRIVATE_HOSTS })
  } catch (error) {
    if (error instanceof UnsafeProxyError) throw new ApiError('invalid_request', error.message, [{ field: 'host', message: error.message }])
    throw error
  }
  const previous = storedProxy(instance, await readInstanceSettings(instance.id))
  const username = change.username?.trim() || null
  // The password is never shown back, so an edit that leaves it out keeps it (for the same user).
  const password = change.password !== undefined ? change.password || null : previous && previous.username === username ? previous.password : null
  const proxy: ProxyConfig = { protocol: change.protocol, host: change.host, port: change.port, username, password }
  await updateInstanceProxy(instance.id, { enabled: true, sealed: sealProxy(instance.id, proxy) })
  await tellHoldingWorker(instance)
  return proxyView(true, proxy)
}

/** Wakes the holding worker to apply the change now; without one, the next socket start reads it. */
async function tellHoldingWorker(instance: InstanceRef): Promise<void> {
  if (!(await sendability(instance.id)).held) return
  try {
    await awaitCommand(await enqueueCommand(instance.id, 'apply_settings', {}), APPLY_TIMEOUT_MS)
  } catch (error) {
    // Saved either way: a worker too slow to apply it now reads it when the socket next starts.
    if (!(error instanceof ApiError && error.code === 'timeout')) throw error
  }
}
