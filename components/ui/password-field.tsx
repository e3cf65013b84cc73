'use client'
import { useState } from 'react'
import { Field } from './field'
import { EyeIcon, EyeOffIcon } from './icons'

/**
 * A password input with a show/hide toggle. The value lives in this component (a controlled input),
 * so it survives the form reset React does after every server action: a refused log-in or sign-up
 * keeps what was typed, and the server never has to send a password back.
 */
export function PasswordField({
  id = 'password',
  name = 'password',
  label,
  autoComplete,
  error,
  hint,
  trailing,
}: {
  id?: string
  name?: string
  label: string
  autoComplete: 'current-password' | 'new-password'
  error?: string
  hint?: React.ReactNode
  trailing?: React.ReactNode
}) {
  const [value, setValue] = useState('')
  const [shown, setShown] = useState(false)
  return (
    <Field
      id={id}
      name={name}
      type={shown ? 'text' : 'password'}
      label={label}
      autoComplete={autoComplete}
      required
      value={value}
      onChange={(event) => setValue(event.target.value)}
      error={error}
      hint={hint}
      trailing={trailing}
      // The toggle sits inside the box, after the value.
      suffix={
        <button
          type="button"
          aria-pressed={shown}
          aria-controls={id}
          onClick={() => setShown(!shown)}
          className="-mr-1.5 flex rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-700"
        >
          <span className="sr-only">Show password</span>
          {shown ? <EyeOffIcon className="size-5" /> : <EyeIcon className="size-5" />}
        </button>
      }
    />
  )
}
