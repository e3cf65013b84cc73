import 'server-only'

export type Email = { to: string; subject: string; text: string; html: string; kind: 'verify_email' | 'reset_password' | 'webhook_disabled' }

function escape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function layout(heading: string, paragraphs: string[], action: { label: string; url: string }, footer: string): string {
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px;color:#334155;font-size:15px;line-height:1.6">${escape(p)}</p>`).join('')
  return `<!doctype html>
<html><body style="margin:0;background:#f8fafc;font-family:Inter,Segoe UI,Helvetica,Arial,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="padding:32px 16px"><tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:520px;background:#ffffff;border:1px solid #e2e8f0;border-radius:12px;padding:32px">
<tr><td>
<p style="margin:0 0 24px;font-weight:700;font-size:16px;color:#0f172a">SAGE<span style="color:#059669">-API</span></p>
<h1 style="margin:0 0 16px;font-size:20px;color:#0f172a">${escape(heading)}</h1>
${body}
<p style="margin:24px 0"><a href="${escape(action.url)}" style="display:inline-block;background:#059669;color:#ffffff;text-decoration:none;font-weight:600;padding:12px 20px;border-radius:8px">${escape(action.label)}</a></p>
<p style="margin:0 0 8px;color:#64748b;font-size:13px">Or paste this link into your browser:</p>
<p style="margin:0 0 24px;color:#059669;font-size:13px;word-break:break-all">${escape(action.url)}</p>
<p style="margin:0;color:#94a3b8;font-size:12px">${escape(footer)}</p>
</td></tr></table></td></tr></table>
</body></html>`
}

export function verificationEmail(to: string, url: string): Email {
  const lines = ['Welcome to SAGE-API. Confirm that this is your email address to start creating instances and API keys.']
  const footer = "This link works once and expires in 24 hours. If you didn't create an account, ignore this email."
  return {
    kind: 'verify_email',
    to,
    subject: 'Verify your email for SAGE-API',
    text: `${lines.join('\n\n')}\n\nVerify your email: ${url}\n\n${footer}\n`,
    html: layout('Verify your email', lines, { label: 'Verify email', url }, footer),
  }
}

export function passwordResetEmail(to: string, url: string): Email {
  const lines = ['Someone (hopefully you) asked to reset the password of your SAGE-API account.', 'Choosing a new password logs you out everywhere else.']
  const footer = "This link works once and expires in 1 hour. If you didn't ask for it, ignore this email: your password stays the same."
  return {
    kind: 'reset_password',
    to,
    subject: 'Reset your SAGE-API password',
    text: `${lines.join('\n\n')}\n\nChoose a new password: ${url}\n\n${footer}\n`,
    html: layout('Reset your password', lines, { label: 'Choose a new password', url }, footer),
  }
}
