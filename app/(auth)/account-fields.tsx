import { Field } from '@/components/ui/field'

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

/** Choosing a password (sign-up, reset): the rule shows before anything is typed. Never refilled after a refusal. */
export function NewPasswordField({ label, rule, error }: { label: string; rule: string; error?: string }) {
  return <Field id="password" name="password" type="password" label={label} autoComplete="new-password" required hint={rule} error={error} />
}
