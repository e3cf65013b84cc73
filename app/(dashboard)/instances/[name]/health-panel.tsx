// The instance's sending health: today's sends against the new-chat cap, the last 7 days' delivery and
// read rates, and the auto-pauses with their reasons; Resume when sending is paused
// (lib/services/instances/send-health.ts). Server-rendered; Resume reloads it.
import type { InstanceHealth } from '@/lib/services/instances/send-health'
import { resumeSendingAction } from './actions'

const REASON_LABEL: Record<string, string> = {
  rate_overlimit: 'Rate limit (429 rate-overlimit)',
  sends_refused: 'Sends refused by WhatsApp',
  undelivered: 'Too many undelivered messages',
  temp_banned: 'Temporary ban (402)',
  forbidden: 'Number refused (403)',
}

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`)
const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC'

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="rounded-lg bg-slate-50 px-4 py-3 ring-1 ring-slate-200">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold text-slate-900 tabular-nums">{value}</dd>
      {detail && <dd className="text-xs text-slate-500">{detail}</dd>}
    </div>
  )
}

export function HealthPanel({ name, health }: { name: string; health: InstanceHealth }) {
  const { today, week, sendPause, pauses } = health
  return (
    <section aria-labelledby="health-heading" className="mt-10">
      <h2 id="health-heading" className="text-base font-semibold text-slate-900">
        Sending health
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        How this number is sending, and whether WhatsApp has signalled trouble. Sending pauses by itself when it does (see Keeping your number safe in the docs).
      </p>
      {sendPause && (
        <div role="alert" className="mt-4 flex flex-col gap-3 rounded-xl bg-amber-50 p-4 ring-1 ring-amber-200 sm:flex-row sm:items-center sm:justify-between">
          <div className="min-w-0">
            <p className="text-sm font-semibold text-amber-900">Sending is paused: {REASON_LABEL[sendPause.reason] ?? sendPause.reason}</p>
            <p className="mt-0.5 text-sm text-amber-800">
              Since {when(sendPause.since)}. {sendPause.message}
            </p>
          </div>
          <form action={resumeSendingAction} className="shrink-0">
            <input type="hidden" name="name" value={name} />
            <button type="submit" className="w-full rounded-lg bg-amber-600 px-3.5 py-2 text-sm font-semibold text-white shadow-xs hover:bg-amber-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-600 sm:w-auto">
              Resume sending
            </button>
          </form>
        </div>
      )}
      <dl className="mt-4 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Figure label="Sent today" value={String(today.sent)} detail={today.minGapMs ? `at least ${today.minGapMs / 1000} s apart` : 'no gap between sends'} />
        <Figure
          label="New chats today"
          value={today.newChatCap === null ? String(today.newChats) : `${today.newChats} of ${today.newChatCap}`}
          detail={today.newChatCap === null ? 'no daily cap' : `daily cap (${today.timeZone} day)`}
        />
        <Figure label="Delivered, 7 days" value={percent(week.deliveryRate)} detail={`${week.delivered} of ${week.sent} sent`} />
        <Figure label="Read, 7 days" value={percent(week.readRate)} detail={`${week.read} of ${week.sent}; ${week.newChats} new chats`} />
      </dl>
      <div className="mt-4 rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200">
        <h3 className="text-sm font-semibold text-slate-900">Pauses in the last 7 days</h3>
        {pauses.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">None. WhatsApp has not signalled trouble.</p>
        ) : (
          <ul aria-label="Pauses" className="mt-2 divide-y divide-slate-100">
            {pauses.map((pause) => (
              <li key={pause.at} className="flex flex-col gap-0.5 py-2 text-sm sm:flex-row sm:gap-4">
                <span className="shrink-0 text-slate-500 tabular-nums sm:w-48">{when(pause.at)}</span>
                <span className="font-medium text-slate-900">{REASON_LABEL[pause.reason] ?? pause.reason}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}
