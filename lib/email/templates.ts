import 'server-only'

export type Email = {
  to: string
  subject: string
  text: string
  html: string
  kind: 'verify_email' | 'reset_password' | 'sign_up_attempt' | 'webhook_disabled' | 'account_deleted' | 'export_ready'
}

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/**
 * Every email we send has one shape: a heading, a few paragraphs, one button with its link also
 * written out (mail apps that strip buttons still show it), and a footer saying when to ignore it.
 */
export function linkEmail(input: {
  kind: Email['kind']
  to: string
  subject: string
  heading: string
  paragraphs: string[]
  action: { label: string; url: string; textLabel: string }
  footer?: string
}): Email {
  const { paragraphs, action, footer } = input
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px;color:#334155;font-size:15px;line-height:1.6">${escape(p)}</p>`).join('')
  const html = `<!doctype html>
<html><body style="margin:0;background:#f8fafc;font-family:Inter,Segoe UI,Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="padding:32px 16px"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:520px;background:#ffffff;border:1px solid #e2e8f0;border-radius:12px;padding:32px">
<tr><td>
<p style="margin:0 0 24px;font-weight:700;font-size:16px;color:#0f172a">SAGE<span style="color:#059669">-API</span></p>
<h1 style="margin:0 0 16px;font-size:20px;color:#0f172a">${escape(input.heading)}</h1>
${body}
<p style="margin:24px 0"><a href="${escape(action.url)}" style="display:inline-block;background:#059669;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:8px">${escape(action.label)}</a></p>
<p style="margin:0 0 8px;color:#64748b;font-size:13px">Or paste this link into your browser:</p>
<p style="margin:0 0 24px;color:#059669;font-size:13px;word-break:break-all">${escape(action.url)}</p>
${footer ? `<p style="margin:0;color:#94a3b8;font-size:12px">${escape(footer)}</p>` : ''}
</td></tr></table></td></tr></table>
</body></html>`
  const text = `${paragraphs.join('\n\n')}\n\n${action.textLabel}: ${action.url}\n${footer ? `\n${footer}\n` : ''}`
  return { kind: input.kind, to: input.to, subject: input.subject, text, html }
}

export function verificationEmail(to: string, url: string): Email {
  return linkEmail({
    kind: 'verify_email',
    to,
    subject: 'Verify your email for SAGE-API',
    heading: 'Verify your email',
    paragraphs: ['Welcome to SAGE-API. Confirm that this is your email address to start creating instances and API keys.'],
    action: { label: 'Verify email', url, textLabel: 'Verify your email' },
    footer: "This link works once and expires in 24 hours. If you didn't create an account, ignore this email.",
  })
}

export function passwordResetEmail(to: string, url: string): Email {
  return linkEmail({
    kind: 'reset_password',
    to,
    subject: 'Reset your SAGE-API password',
    heading: 'Reset your password',
    paragraphs: ['Someone (hopefully you) asked to reset the password of your SAGE-API account.', 'Choosing a new password logs you out everywhere else.'],
    action: { label: 'Choose a new password', url, textLabel: 'Choose a new password' },
    footer: "This link works once and expires in 1 hour. If you didn't ask for it, ignore this email: your password stays the same.",
  })
}

/**
 * Sign-up answers the same whether or not the address has an account (so nobody can test which
 * emails are customers); the owner learns of the attempt from this instead.
 */
export function signUpAttemptEmail(to: string, urls: { logIn: string; forgotPassword: string }): Email {
  return linkEmail({
    kind: 'sign_up_attempt',
    to,
    subject: 'Someone tried to sign up for SAGE-API with your email',
    heading: 'You already have an account',
    paragraphs: [
      'Someone just tried to create a SAGE-API account with this email address. You already have one, so no new account was created and nothing changed on yours.',
      `If it was you, log in with your existing password. Forgot it? Choose a new one at ${urls.forgotPassword}`,
    ],
    action: { label: 'Log in', url: urls.logIn, textLabel: 'Log in' },
    footer: "If it wasn't you, ignore this email: nobody can use your account without your password.",
  })
}

/** After an account is deleted: the last email we send to the address, saying what went and how to come back. */
export function accountDeletedEmail(to: string, urls: { signUp: string }): Email {
  return linkEmail({
    kind: 'account_deleted',
    to,
    subject: 'Your SAGE-API account was deleted',
    heading: 'Your account is deleted',
    paragraphs: [
      'Your SAGE-API account and everything in it are deleted: its instances (each logged out from WhatsApp), API keys, webhooks, messages, media, events and usage history.',
      'Nothing of it can be restored. You can create a new account with this email at any time.',
    ],
    action: { label: 'Create a new account', url: urls.signUp, textLabel: 'Create a new account' },
    footer: "If you didn't delete it, someone had your password: contact us by replying to this email.",
  })
}

export function exportReadyEmail(to: string, details: { url: string; records: number; expiresAt: Date }): Email {
  return linkEmail({
    kind: 'export_ready',
    to,
    subject: 'Your SAGE-API export is ready',
    heading: 'Your export is ready',
    paragraphs: [
      `The export of your account is ready: ${details.records.toLocaleString('en-US')} records as JSON lines (instances, contacts, chats and messages).`,
      `Download it from your Settings page, signed in, before ${details.expiresAt.toUTCString()}; after that it is deleted.`,
    ],
    action: { label: 'Open Settings', url: details.url, textLabel: 'Open Settings' },
    footer: "If you didn't ask for an export, someone signed in to your account: change your password.",
  })
}
