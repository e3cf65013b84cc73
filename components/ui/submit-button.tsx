'use client'
import { useFormStatus } from 'react-dom'

/** A form's submit button: disabled with a spinner and its pending label while the action runs. */
export function SubmitButton({
  children,
  pendingLabel,
  variant = 'primary',
  className = '',
  disabled = false,
}: {
  children: React.ReactNode
  pendingLabel: string
  variant?: 'primary' | 'secondary'
  className?: string
  disabled?: boolean
}) {
  const { pending } = useFormStatus()
  const look =
    variant === 'primary'
      ? 'bg-brand-600 text-white shadow-sm hover:bg-brand-700 disabled:bg-brand-600/60'
      : 'bg-white text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:text-slate-400'
  return (
    <button
      type="submit"
      disabled={pending || disabled}
      aria-disabled={pending || disabled}
      className={`inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2.5 text-sm font-semibold transition disabled:cursor-not-allowed ${look} ${className}`}
    >
      {pending && (
        <svg aria-hidden className="size-4 animate-spin" viewBox="0 0 24 24" fill="none">
          <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.3" strokeWidth="3" />
          <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
        </svg>
      )}
      {pending ? pendingLabel : children}
    </button>
  )
}
