'use client'

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost'

const LOOKS: Record<ButtonVariant, string> = {
  primary: 'bg-brand-600 text-white shadow-sm hover:bg-brand-700 disabled:bg-brand-600/60',
  secondary: 'bg-white text-slate-800 shadow-sm ring-1 ring-slate-300 hover:bg-slate-50 disabled:text-slate-400',
  danger: 'bg-red-600 text-white shadow-sm hover:bg-red-700 disabled:bg-red-600/60',
  ghost: 'text-slate-600 hover:bg-slate-100 hover:text-slate-900 disabled:text-slate-400',
}

const SIZES = {
  md: 'rounded-lg px-4 py-2.5 text-sm',
  sm: 'rounded-md px-2.5 py-1.5 text-[13px]',
}

/** The class list of a button, for links and summaries that should look like one. */
export function buttonClass(variant: ButtonVariant = 'primary', size: keyof typeof SIZES = 'md', className = ''): string {
  return `inline-flex items-center justify-center gap-2 whitespace-nowrap font-semibold transition disabled:cursor-not-allowed ${SIZES[size]} ${LOOKS[variant]} ${className}`
}

export function Spinner({ className = 'size-4' }: { className?: string }) {
  return (
    <svg aria-hidden className={`${className} animate-spin`} viewBox="0 0 24 24" fill="none">
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.3" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  )
}

/**
 * A button with the same looks as SubmitButton, for actions whose pending state the caller knows
 * (useActionState's isPending, a transition): disabled with a spinner and `pendingLabel` meanwhile.
 */
export function Button({
  variant = 'primary',
  size = 'md',
  pending = false,
  pendingLabel,
  className = '',
  disabled,
  children,
  type = 'button',
  ...rest
}: React.ComponentProps<'button'> & {
  variant?: ButtonVariant
  size?: keyof typeof SIZES
  pending?: boolean
  pendingLabel?: string
}) {
  return (
    <button
      type={type}
      disabled={pending || disabled}
      aria-disabled={pending || disabled || undefined}
      className={buttonClass(variant, size, className)}
      {...rest}
    >
      {pending && <Spinner />}
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  )
}
