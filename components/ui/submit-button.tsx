'use client'
import { useFormStatus } from 'react-dom'
import { Button } from './button'

/** A form's submit button: disabled with a spinner and its pending label while the form's action runs. */
export function SubmitButton({
  children,
  pendingLabel,
  variant = 'primary',
  className = '',
  disabled = false,
}: {
  children: React.ReactNode
  pendingLabel: string
  variant?: 'primary' | 'secondary' | 'danger'
  className?: string
  disabled?: boolean
}) {
  const { pending } = useFormStatus()
  return (
    <Button type="submit" variant={variant} pending={pending} pendingLabel={pendingLabel} disabled={disabled} className={className}>
      {children}
    </Button>
  )
}
