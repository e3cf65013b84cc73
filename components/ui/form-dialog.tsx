'use client'
import { useEffect, useId, useRef } from 'react'
import type { ActionState } from '@/lib/actions/action-state'
import { Button } from './button'
import { Dialog, DialogButtons } from './dialog'
import { Notice } from './notice'

/**
 * A dialog around one form: the fields, Cancel and the submit button in the footer. While it saves
 * it cannot be dismissed; after a refusal the form's message shows at the top and the keyboard goes
 * to the first refused field.
 */
export function FormDialog({
  title,
  description,
  size,
  submitLabel,
  pendingLabel,
  pending,
  answer,
  onClose,
  action,
  onSubmit,
  children,
}: {
  title: React.ReactNode
  description?: React.ReactNode
  size?: 'md' | 'lg'
  submitLabel: string
  pendingLabel: string
  pending: boolean
  /** The action's last answer. */
  answer: ActionState<unknown>
  onClose: () => void
  /** A form action (useActionState's), or… */
  action?: (formData: FormData) => void
  /** …a submit handler for a form the page sends itself. */
  onSubmit?: (event: React.FormEvent<HTMLFormElement>) => void
  children: React.ReactNode
}) {
  const formId = useId()
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => {
    if (answer.ok !== false) return
    const invalid = form.current?.querySelector<HTMLElement>('input[aria-invalid=true], textarea[aria-invalid=true], [aria-invalid=true] input')
    invalid?.focus()
  }, [answer])
  return (
    <Dialog
      title={title}
      description={description}
      size={size}
      onClose={onClose}
      dismissible={!pending}
      footer={
        <DialogButtons onCancel={onClose} pending={pending}>
          <Button type="submit" form={formId} pending={pending} pendingLabel={pendingLabel}>
            {submitLabel}
          </Button>
        </DialogButtons>
      }
    >
      <form ref={form} id={formId} action={action} onSubmit={onSubmit} noValidate className="space-y-5">
        {answer.formError && <Notice tone="error">{answer.formError}</Notice>}
        {children}
      </form>
    </Dialog>
  )
}
