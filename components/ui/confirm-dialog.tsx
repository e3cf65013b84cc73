'use client'
import { useEffect, useId, useRef, useState, useTransition } from 'react'
import { refusalText, type ActionState } from '@/lib/actions/action-state'
import { Button } from './button'
import { Dialog, DialogButtons } from './dialog'
import { Field } from './field'
import { Notice } from './notice'

/**
 * Every "are you sure?" of the dashboard: what will happen, Cancel, and the button that runs the
 * server action. It stays open and cannot be dismissed while the action runs; a refusal is shown in
 * it, a success calls `onDone` (the caller closes it). With `typeToConfirm` the button works only once
 * that text (e.g. the instance's name) is typed, and what was typed goes to the action too, which
 * checks it again.
 */
export function ConfirmDialog<T>({
  title,
  children,
  confirmLabel,
  pendingLabel,
  tone = 'danger',
  typeToConfirm,
  run,
  onClose,
  onDone,
}: {
  title: string
  children: React.ReactNode
  confirmLabel: string
  pendingLabel: string
  tone?: 'primary' | 'danger'
  typeToConfirm?: string
  run: (typed: string) => Promise<ActionState<T>>
  onClose: () => void
  onDone: (value: T) => void
}) {
  const [pending, startTransition] = useTransition()
  const [answer, setAnswer] = useState<ActionState<T>>({})
  const [typed, setTyped] = useState('')
  const formId = useId()
  const typedField = useRef<HTMLInputElement>(null)
  // With a field to type in, a refusal of what was typed shows under it; anything else at the top.
  const typeError = typeToConfirm === undefined ? undefined : Object.values(answer.fieldErrors ?? {})[0]
  const refused = typeToConfirm === undefined ? refusalText(answer) : answer.formError
  // Once open (showModal focuses the first button): the keyboard goes where the next step is.
  useEffect(() => {
    if (!typeToConfirm) return
    const frame = requestAnimationFrame(() => typedField.current?.focus())
    return () => cancelAnimationFrame(frame)
  }, [typeToConfirm])
  useEffect(() => {
    if (typeError) typedField.current?.focus()
  }, [answer, typeError])

  const confirm = (event: React.FormEvent) => {
    event.preventDefault()
    startTransition(async () => {
      const result = await run(typed)
      if (result.ok) onDone(result.value)
      else setAnswer(result)
    })
  }

  return (
    <Dialog
      title={title}
      onClose={onClose}
      dismissible={!pending}
      footer={
        <DialogButtons onCancel={onClose} pending={pending}>
          <Button
            type="submit"
            form={formId}
            variant={tone}
            autoFocus={!typeToConfirm}
            pending={pending}
            pendingLabel={pendingLabel}
            disabled={typeToConfirm !== undefined && typed.trim() !== typeToConfirm}
          >
            {confirmLabel}
          </Button>
        </DialogButtons>
      }
    >
      <form id={formId} onSubmit={confirm} noValidate className="space-y-4 text-sm text-slate-600">
        {refused && <Notice tone="error">{refused}</Notice>}
        {children}
        {typeToConfirm !== undefined && (
          <Field
            ref={typedField}
            id={`${formId}-typed`}
            label={
              <>
                Type <span className="font-mono text-[13px] font-semibold">{typeToConfirm}</span> to confirm
              </>
            }
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            error={typeError}
            className="font-mono"
          />
        )}
      </form>
    </Dialog>
  )
}
