import { Field } from '@/components/ui/field'
import { PasswordField } from '@/components/ui/password-field'

/** The email field of the sign-up, log-in and forgot-password forms. */
export function EmailField({ label = 'Email', defaultValue, error }: { label?: string; defaultValue?: string; error?: string }) {
  return (
    <Field
      id="email"
      name="email"
      type="email"
      label={label}
      autoComplete="email"
      placeholder="you@company.com"
      required
      defaultValue={defaultValue}
      error={error}
    />
  )
}

/** Choosing a password (sign-up, reset): the rule shows before anything is typed; what was typed stays after a refusal (kept in the browser). */
export function NewPasswordField({ label, rule, error }: { label: string; rule: string; error?: string }) {
  return <PasswordField label={label} autoComplete="new-password" hint={rule} error={error} />
}
