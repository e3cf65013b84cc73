import type { Metadata } from 'next'
import { LinkResult } from '../../link-result'

export const metadata: Metadata = { title: 'Check your email' }

/**
 * Where every sign-up lands, whether or not the address already had an account: the page says the
 * same either way (the owner of an existing account gets an email about the attempt instead).
 */
export default function CheckEmailPage() {
  return (
    <LinkResult
      tone="sent"
      title="Check your email"
      body="We've sent a message to the address you signed up with. Follow the link in it to verify your address, then log in to create instances and API keys. Nothing after a few minutes? Look in your spam folder."
      action={{ href: '/login', label: 'Log in' }}
    />
  )
}
