import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { ApiError } from '@/lib/api/errors'
import { requireUser } from '@/lib/auth/session'
import { config } from '@/lib/config'
import { findInstance } from '@/lib/services/instances/instances'
import { liveState } from '@/lib/services/instances/lifecycle'
import { InstanceView } from './instance-view'
import { SettingsPanel } from './settings-panel'
import { getProxy, getSettings } from '@/lib/services/instances/settings'
import { isDemoMode } from '@/lib/demo/mode'
import { firstDayStart, lastDays, messageDays, requestDays } from '@/components/dashboard/usage-days'
import { messagesPerDay } from '@/lib/store/messages'
import { usageOf } from '@/lib/store/usage'
import { InstanceUsage } from './instance-usage'
import { HealthPanel } from './health-panel'
import { instanceHealth } from '@/lib/services/instances/send-health'

export const dynamic = 'force-dynamic'

type Props = { params: Promise<{ name: string }> }

/** Path segments arrive percent-encoded; a malformed one is simply no instance of ours. */
function segment(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: segment((await params).name) }
}

/** One instance: its live state, pairing (QR or phone number), restart / log out / delete, its Inbox, sending health, settings and usage. */
export default async function InstancePage({ params }: Props) {
  const name = segment((await params).name)
  const user = await requireUser(`/instances/${encodeURIComponent(name)}`)
  const instance = await findInstance({ ctx: user, input: { name } }).catch((error) => {
    if (error instanceof ApiError && error.code === 'instance_not_found') notFound()
    throw error
  })
  const days = lastDays(new Date())
  const since = firstDayStart(days)
  const [state, settings, proxy, requestsPerHour, messageCounts, health] = await Promise.all([
    liveState(instance),
    getSettings(instance),
    getProxy(instance),
    usageOf(user.userId, { kind: 'instance', id: instance.id }, since),
    messagesPerDay(user.userId, since, instance.id),
    instanceHealth({ ...instance, userId: user.userId }),
  ])
  return (
    <>
    <InstanceView
      name={instance.name}
      initialState={state}
      qrTimeoutMs={config().WA_QR_TIMEOUT_MS ?? null}
      demo={isDemoMode()}
      sandbox={instance.sandbox}
      apiBase={config().APP_URL.replace(/\/$/, '')}
    />
    <HealthPanel name={instance.name} health={health} />
    <SettingsPanel name={instance.name} settings={settings} proxy={proxy} />
    <InstanceUsage requests={requestDays(days, requestsPerHour)} messages={messageDays(days, messageCounts)} />
    </>
  )
}
