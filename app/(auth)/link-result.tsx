import Link from 'next/link'

type Problem = 'invalid' | 'expired' | 'used'

const TEXT: Record<'verify_email' | 'reset_password', Record<Problem, { title: string; body: string }>> = {
  verify_email: {
    invalid: { title: 'This link is not valid', body: 'It may have been cut short by your email app. Copy the whole link from the email, or log in and send a new one.' },
    expired: { title: 'This link has expired', body: 'Verification links work for 24 hours. Log in and use “Resend email” to get a new one.' },
    used: { title: 'This link has already been used', body: 'Each verification link works once. Log in and use “Resend email” if your address is still unverified.' },
  },
  reset_password: {
    invalid: { title: 'This link is not valid', body: 'It may have been cut short by your email app. Copy the whole link from the email, or ask for a new one.' },
    expired: { title: 'This link has expired', body: 'Password reset links work for 1 hour. Ask for a new one below.' },
    used: { title: 'This link has already been used', body: 'Each reset link works once. If you still need to change your password, ask for a new link.' },
  },
}

/** The page a broken, expired or reused email link lands on: what happened and the one next step. */
export function LinkProblem({ kind, problem }: { kind: 'verify_email' | 'reset_password'; problem: Problem }) {
  const text = TEXT[kind][problem]
  const action = kind === 'reset_password' ? { href: '/forgot-password', label: 'Send a new reset link' } : { href: '/login', label: 'Log in' }
  return (
    <LinkResult tone="problem" title={text.title} body={text.body} action={action} />
  )
}

const TONES = {
  success: {
    badge: 'bg-brand-50 text-brand-600',
    icon: <path d="m5 12.5 4.5 4.5L19 7.5" strokeLinecap="round" strokeLinejoin="round" />,
  },
  sent: {
    badge: 'bg-brand-50 text-brand-600',
    icon: (
      <>
        <rect x="3.5" y="5.5" width="17" height="13" rx="2" />
        <path d="m4 7 8 6 8-6" strokeLinecap="round" strokeLinejoin="round" />
      </>
    ),
  },
  problem: {
    badge: 'bg-amber-50 text-amber-600',
    icon: (
      <>
        <path d="M12 8v5M12 16.5v.5" strokeLinecap="round" />
        <circle cx="12" cy="12" r="9" />
      </>
    ),
  },
}

/** A page that is one outcome and one next step: an email link's result, or "check your email". */
export function LinkResult({
  tone,
  title,
  body,
  action,
}: {
  tone: keyof typeof TONES
  title: string
  body: string
  action: { href: string; label: string }
}) {
  return (
    <div>
      <div aria-hidden className={`mb-6 grid size-12 place-items-center rounded-full ${TONES[tone].badge}`}>
        <svg viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2.2">
          {TONES[tone].icon}
        </svg>
      </div>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
      <p className="mt-3 text-sm leading-relaxed text-slate-600">{body}</p>
      <Link
        href={action.href}
        className="mt-8 inline-flex w-full items-center justify-center rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
      >
        {action.label}
      </Link>
    </div>
  )
}
