'use client'
import { useActionState } from 'react'
import { useFormStatus } from 'react-dom'
import { MailIcon } from '@/components/ui/icons'
import { NOT_SUBMITTED, type ActionState } from '@/lib/actions/action-state'

function ResendButton() {
  const { pending } = useFormStatus()
  return (
    <button
      type="submit"
      disabled={pending}
      className="shrink-0 rounded-md bg-white px-3 py-1.5 text-sm font-semibold text-amber-900 shadow-sm ring-1 ring-amber-300 hover:bg-amber-100 disabled:opacity-60"
    >
      {pending ? 'Sending…' : 'Resend email'}
    </button>
  )
}

/** Shown on every dashboard page until the email is verified; instances and keys are refused until then. */
export function VerifyEmailBanner({
  email,
  resend,
  devMailbox,
}: {
  email: string
  /** Emails go to /dev/mailbox on this server (no email provider configured): say where to find the link. */
  devMailbox: boolean
  /** Answers with what to tell the person: the email is on its way, or why not. */
  resend: (state: ActionState<string>, formData: FormData) => Promise<ActionState<string>>
}) {
  const [state, action] = useActionState(resend, NOT_SUBMITTED)
  const message = state.ok ? state.value : state.formError
  return (
    <div className="border-b border-amber-200 bg-amber-50">
      <div className="mx-auto flex max-w-5xl flex-col gap-3 px-4 py-3 sm:flex-row sm:items-center sm:px-6 lg:px-10">
        <MailIcon className="hidden size-5 shrink-0 text-amber-600 sm:block" />
        <div className="flex-1 text-sm text-amber-900">
          <p>
            <strong className="font-semibold">Verify your email to get started.</strong> We sent a link to{' '}
            <span className="font-medium">{email}</span>. Until then you can&apos;t create instances or API keys.
          </p>
          {devMailbox && (
            <p className="mt-1">
              This server sends no real email: the link is in the{' '}
              <a href="/dev/mailbox" className="font-semibold underline underline-offset-2 hover:text-amber-700">
                dev mailbox
              </a>
              .
            </p>
          )}
          {message && (
            <p role="status" className={`mt-1 ${state.ok ? 'text-brand-700' : 'text-red-700'}`}>
              {message}
            </p>
          )}
        </div>
        <form action={action}>
          <ResendButton />
        </form>
      </div>
    </div>
  )
}
