import 'server-only'
import { linkEmail, type Email } from '@/lib/email/templates'

/** Sent once when an endpoint is disabled after failing for days. */
export function endpointDisabledEmail(to: string, input: { url: string; failingSince: string; pageUrl: string }): Email {
  return linkEmail({
    kind: 'webhook_disabled',
    to,
    subject: 'A SAGE-API webhook endpoint was disabled',
    heading: 'Webhook endpoint disabled',
    paragraphs: [
      `We stopped sending webhooks to ${input.url}: every delivery to it has failed since ${input.failingSince}.`,
      'Nothing is lost: the delivery log keeps each attempt with its response. Fix the endpoint, enable it again on the Webhooks page, and resend the deliveries you need.',
    ],
    action: { label: 'Open the Webhooks page', url: input.pageUrl, textLabel: 'Open the Webhooks page' },
  })
}
