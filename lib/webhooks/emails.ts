import 'server-only'
import type { Email } from '@/lib/email/templates'

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** Sent once when an endpoint is disabled after failing for days. */
export function endpointDisabledEmail(to: string, input: { url: string; failingSince: string; pageUrl: string }): Email {
  const lines = [
    `We stopped sending webhooks to ${input.url}: every delivery to it has failed since ${input.failingSince}.`,
    'Nothing is lost: the delivery log keeps each attempt with its response. Fix the endpoint, enable it again on the Webhooks page, and resend the deliveries you need.',
  ]
  return {
    kind: 'webhook_disabled',
    to,
    subject: 'A SAGE-API webhook endpoint was disabled',
    text: `${lines.join('\n\n')}\n\nOpen the Webhooks page: ${input.pageUrl}\n`,
    html: `<!doctype html><html><body style="font-family:Inter,Segoe UI,Helvetica,Arial,sans-serif;color:#334155">
<p style="font-weight:700;color:#0f172a">SAGE<span style="color:#059669">-API</span></p>
<h1 style="font-size:20px;color:#0f172a">Webhook endpoint disabled</h1>
${lines.map((line) => `<p style="font-size:15px;line-height:1.6">${escape(line)}</p>`).join('')}
<p><a href="${escape(input.pageUrl)}" style="display:inline-block;background:#059669;color:#fff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:8px">Open the Webhooks page</a></p>
</body></html>`,
  }
}
