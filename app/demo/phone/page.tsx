import type { Metadata } from 'next'
import { cookies } from 'next/headers'
import { requireUser } from '@/lib/auth/session'
import { config } from '@/lib/config'
import { PHONE_COOKIE, defaultOwnPhone, normalisePhone } from '@/lib/demo/mode'
import { demoFeed, type DemoFeed } from '@/lib/demo/virtual-phone'
import { VirtualPhone } from './virtual-phone'

export const metadata: Metadata = { title: 'Virtual phone' }
export const dynamic = 'force-dynamic'

type Props = { searchParams: Promise<{ instance?: string; contact?: string }> }

/** The demo's virtual phone: scan an instance's QR with a simulated phone, then chat with the instance as a simulated contact. */
export default async function VirtualPhonePage({ searchParams }: Props) {
  const user = await requireUser('/demo/phone')
  const { instance, contact } = await searchParams
  const jar = await cookies()
  let initialFeed: DemoFeed | null = null
  try {
    initialFeed = await demoFeed(user, { instance, contact })
  } catch {
    // The simulator is not answering: the page says so and its poll picks it up once it is back.
  }
  return (
    <VirtualPhone
      initialFeed={initialFeed}
      selection={{ instance: instance ?? null, contact: contact ?? null }}
      ownPhone={normalisePhone(jar.get(PHONE_COOKIE)?.value ?? '') ?? defaultOwnPhone(user.userId)}
      apiBase={config().APP_URL.replace(/\/$/, '')}
    />
  )
}
