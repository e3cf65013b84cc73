// sendEmail's three paths: Resend unreachable (the SDK returns an error instead of throwing), and the
// dev mailbox with and without the link in the log.
import { describe, expect, it, vi } from 'vitest'
import net from 'node:net'
import { useTestDatabase } from '@/e2e/support/database'

await useTestDatabase()

const email = { kind: 'verify_email' as const, to: 'x@example.com', subject: 'Verify', text: 'Go to http://localhost/verify-email?token=SECRET123', html: '<p>hi</p>' }

async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Fresh modules under the given environment (config() is parsed once per module instance). */
async function loadWith(env: Record<string, string | undefined>) {
  vi.resetModules()
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  const send = await import('./send')
  const { log } = await import('@/lib/log')
  const { db } = await import('@/test-support/drizzle')
  const { devMailbox } = await import('@/lib/db/schema')
  return { ...send, log, mailbox: () => db.select().from(devMailbox) }
}

describe('sendEmail', () => {
  it('reports an unreachable Resend as EmailDeliveryError (the SDK itself does not throw)', async () => {
    const { sendEmail, EmailDeliveryError, mailbox } = await loadWith({
      RESEND_API_KEY: 're_test',
      RESEND_BASE_URL: `http://127.0.0.1:${await closedPort()}`,
      SAGE_ENV: 'test',
    })
    await expect(sendEmail(email)).rejects.toBeInstanceOf(EmailDeliveryError)
    expect(await mailbox()).toHaveLength(0)
  })

  it('without Resend, outside production: stores the email and logs it with its link', async () => {
    const { sendEmail, log, mailbox } = await loadWith({ RESEND_API_KEY: undefined, RESEND_BASE_URL: undefined, SAGE_ENV: 'development' })
    const info = vi.spyOn(log, 'info')
    await sendEmail(email)
    expect(await mailbox()).toEqual([expect.objectContaining({ to: 'x@example.com', subject: 'Verify', text: email.text })])
    expect(JSON.stringify(info.mock.calls)).toContain('SECRET123')
  })

  it('without Resend, in production: stores the email but never logs the link', async () => {
    const { sendEmail, log, mailbox } = await loadWith({ RESEND_API_KEY: undefined, RESEND_BASE_URL: undefined, SAGE_ENV: 'production' })
    const calls: unknown[] = []
    for (const level of ['info', 'warn', 'error', 'debug'] as const) vi.spyOn(log, level).mockImplementation((...args: unknown[]) => void calls.push(args))
    await sendEmail({ ...email, text: 'http://localhost/reset-password?token=PRODSECRET' })
    expect((await mailbox()).map((m) => m.text)).toContain('http://localhost/reset-password?token=PRODSECRET')
    expect(calls.length).toBeGreaterThan(0)
    expect(JSON.stringify(calls)).not.toContain('PRODSECRET')
  })
})
