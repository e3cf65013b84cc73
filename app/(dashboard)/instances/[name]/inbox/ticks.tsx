import type { MessageStatus } from '@/lib/db/schema/messages'

const LABEL: Record<MessageStatus, string> = {
  SCHEDULED: 'Scheduled',
  PENDING: 'Sending',
  QUEUED_BY_POLICY: 'Held by the send policy',
  SERVER_ACK: 'Sent',
  DELIVERY_ACK: 'Delivered',
  READ: 'Read',
  PLAYED: 'Played',
  ERROR: 'Failed',
  CANCELLED: 'Cancelled',
}

/** WhatsApp's ticks: a clock while sending, one tick sent, two delivered, two blue read or played. */
export function Ticks({ status, className = '' }: { status: MessageStatus; className?: string }) {
  const label = LABEL[status]
  const common = `inline-block shrink-0 ${className}`
  if (status === 'ERROR' || status === 'CANCELLED') {
    return (
      <span data-status={status} title={label} className={`${common} font-bold text-red-600`}>
        !<span className="sr-only">{label}</span>
      </span>
    )
  }
  const waiting = status === 'PENDING' || status === 'SCHEDULED' || status === 'QUEUED_BY_POLICY'
  const double = status === 'DELIVERY_ACK' || status === 'READ' || status === 'PLAYED'
  const seen = status === 'READ' || status === 'PLAYED'
  return (
    <span data-status={status} title={label} className={`${common} ${seen ? 'text-sky-500' : 'text-slate-400'}`}>
      <svg aria-hidden viewBox="0 0 18 12" className="h-3 w-[18px]" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
        {waiting ? (
          <>
            <circle cx="9" cy="6" r="4.6" />
            <path d="M9 3.6V6l1.6 1.2" />
          </>
        ) : double ? (
          <>
            <path d="m1.5 6.5 3 3 6-7" />
            <path d="m7 8 1.5 1.5 6-7" />
          </>
        ) : (
          <path d="m4.5 6.5 3 3 6-7" />
        )}
      </svg>
      <span className="sr-only">{label}</span>
    </span>
  )
}
