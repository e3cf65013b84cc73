import { z } from 'zod'

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 200

/** What the sign-up and reset forms say under the password field before anything is typed. */
export const PASSWORD_RULE = `At least ${PASSWORD_MIN_LENGTH} characters. Long passphrases are best.`

// A short list of the passwords that top every breach corpus; length alone does not stop these.
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '0123456789',
  '12345678910',
  '1111111111',
  '0000000000',
  'password12',
  'password123',
  'password1234',
  'passw0rd123',
  'qwertyuiop',
  'qwerty1234',
  'qwerty12345',
  '1q2w3e4r5t',
  'iloveyou123',
  'abcdefghij',
  'letmein123',
  'welcome123',
  'whatsapp123',
  'administrator',
])

export const Email = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email({ error: 'Enter a valid email address, like you@example.com.' }))

export const NewPassword = z
  .string({ error: 'Choose a password.' })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`)
  .refine((password) => !COMMON_PASSWORDS.has(password.toLowerCase()), 'This password is too common; choose another.')
  .refine((password) => new Set(password).size >= 4, 'Use more than a few different characters.')

export const SignUpInput = z.object({ email: Email, password: NewPassword })
export const LogInInput = z.object({
  email: Email,
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(PASSWORD_MAX_LENGTH),
})
export const ResetPasswordInput = z.object({ token: z.string().min(1).max(200), password: NewPassword })
