import 'server-only'
import { Resend } from 'resend'
import { config } from '@/lib/config'
import { keepInDevMailbox } from './dev-mailbox'
import { log } from '@/lib/log'
import type { Email } from './templates'

export class EmailDeliveryError extends Error {}

let resendClient: Resend | undefined

function resend(): Resend {
  const { RESEND_API_KEY, RESEND_BASE_URL } = config()
  resendClient ??= new Resend(RESEND_API_KEY, RESEND_BASE_URL ? { baseUrl: RESEND_BASE_URL.replace(/\/$/, '') } : undefined)
  return resendClient
}

/**
 * Through Resend when RESEND_API_KEY is set; otherwise into the dev mailbox (a table, shown at
 * /dev/mailbox outside production) and the log. Throws EmailDeliveryError when Resend refuses it.
 */
export async function sendEmail(email: Email): Promise<void> {
  const settings = config()
  if (settings.RESEND_API_KEY) {
    // The SDK reports network failures and API errors in `error` instead of throwing.
    const { data, error } = await resend().emails.send({
      from: settings.EMAIL_FROM,
      to: [email.to],
      subject: email.subject,
      text: email.text,
      html: email.html,
      tags: [{ name: 'kind', value: email.kind }],
    })
    if (error || !data) {
      log.error({ kind: email.kind, resendError: error?.name, resendMessage: error?.message }, 'email delivery failed')
      throw new EmailDeliveryError(`Resend refused the email: ${error?.message ?? 'no response'}`)
    }
    log.info({ kind: email.kind, emailId: data.id }, 'email sent through Resend')
    return
  }
  await keepInDevMailbox(email)
  if (settings.isProduction) {
    // The body holds a live link; in production it must not reach the logs.
    log.warn({ kind: email.kind, to: email.to }, 'RESEND_API_KEY is not set: email kept in the dev mailbox only')
  } else {
    log.info({ kind: email.kind, to: email.to, subject: email.subject, body: email.text }, 'email stored in the dev mailbox (open /dev/mailbox)')
  }
}

/**
 * For emails whose failure must not fail the request that caused them (the account or the reset
 * stands either way): false when it could not be sent, logged with `context`.
 */
export async function sendEmailOrLog(email: Email, context: Record<string, unknown>): Promise<boolean> {
  try {
    await sendEmail(email)
    return true
  } catch (error) {
    log.error({ err: error, kind: email.kind, ...context }, 'email not sent')
    return false
  }
}
