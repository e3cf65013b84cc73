import type { InstanceState } from '@/lib/db/schema/instances'

const STATE_LOOK: Record<InstanceState, { label: string; dot: string; badge: string }> = {
  open: { label: 'Connected', dot: 'bg-brand-500', badge: 'bg-brand-50 text-brand-700 ring-brand-100' },
  connecting: { label: 'Connecting', dot: 'bg-amber-500 motion-safe:animate-pulse', badge: 'bg-amber-50 text-amber-800 ring-amber-200' },
  close: { label: 'Not paired', dot: 'bg-slate-400', badge: 'bg-slate-100 text-slate-700 ring-slate-200' },
}

/** Connected, but its sends wait (status `send_paused`: WhatsApp limited or warned the number); messages still arrive. */
const SENDING_PAUSED = { label: 'Sending paused', dot: 'bg-amber-500', badge: 'bg-amber-50 text-amber-800 ring-amber-200' }

/** An instance's connection state as a coloured pill (the list and the instance page). */
export function InstanceStateBadge({ state, label, size = 'sm', sendingPaused = false }: { state: InstanceState; label?: string; size?: 'sm' | 'md'; sendingPaused?: boolean }) {
  const look = state === 'open' && sendingPaused ? SENDING_PAUSED : STATE_LOOK[state]
  return (
    <span
      data-state={state}
      className={`inline-flex items-center gap-1.5 rounded-full font-medium whitespace-nowrap ring-1 ${look.badge} ${
        size === 'md' ? 'px-3 py-1 text-sm' : 'px-2.5 py-0.5 text-xs'
      }`}
    >
      <span aria-hidden className={`size-1.5 rounded-full ${look.dot}`} />
      {label ?? look.label}
    </span>
  )
}
