// GET/POST /api/v1/me/instances with the dashboard's session cookie: auth, verification, validation,
// uniqueness, account scoping and cross-site refusal, against the real server.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { launchBrowser } from './support/browser'
import { cookieHeader, logIn } from './support/accounts'

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0 })
const browser = await launchBrowser()
const { createUser } = await import('@/lib/services/accounts/users')
const { db } = await import('@/test-support/drizzle')
const { instances } = await import('@/lib/db/schema')

const URL_ = `${stack.baseUrl}/api/v1/me/instances`
const PASSWORD = 'account plane passphrase'

/** Logs in through the real form in a fresh browser profile and returns its cookies as a header. */
async function sessionFor(email: string, options: { verified: boolean }): Promise<string> {
  await createUser({ email, password: PASSWORD, verified: options.verified })
  const context = await browser.newContext()
  context.setDefaultTimeout(10_000)
  const page = await context.newPage()
  await logIn(page, stack.baseUrl, email, PASSWORD)
  const cookie = await cookieHeader(context)
  await context.close()
  return cookie
}

const verified = await sessionFor('verified@example.com', { verified: true })
const unverified = await sessionFor('unverified@example.com', { verified: false })
const otherAccount = await sessionFor('other@example.com', { verified: true })

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(URL_, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

async function errorOf(response: Response) {
  expect(response.headers.get('content-type')).toContain('application/json')
  const body = await response.json()
  expect(body.requestId).toBe(response.headers.get('x-request-id'))
  return body as { error: string; message: string; details?: { field: string; message: string }[] }
}

describe('without a session', () => {
  it('GET and POST answer 401 unauthorized', async () => {
    for (const response of [await fetch(URL_), await post({ name: 'acme-prod' })]) {
      expect(response.status).toBe(401)
      expect((await errorOf(response)).error).toBe('unauthorized')
    }
  })

  it('a forged or garbled session cookie is no session', async () => {
    const forged = verified.replace(/(authjs\.session-token=)[^;]+/, '$1eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0.x.y.z.w')
    expect(forged).not.toBe(verified)
    const response = await fetch(URL_, { headers: { cookie: forged } })
    expect(response.status).toBe(401)
  })

  it('answers other methods with 405 and the JSON error format', async () => {
    const response = await fetch(URL_, { method: 'DELETE', headers: { cookie: verified } })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET, POST')
    expect((await errorOf(response)).error).toBe('method_not_allowed')
  })
})

describe('before the email is verified', () => {
  it('lists (nothing) but refuses to create with 403 email_not_verified', async () => {
    const list = await fetch(URL_, { headers: { cookie: unverified } })
    expect(list.status).toBe(200)
    expect(await list.json()).toEqual({ instances: [] })
    const create = await post({ name: 'too-early' }, { cookie: unverified })
    expect(create.status).toBe(403)
    expect((await errorOf(create)).error).toBe('email_not_verified')
  })
})

describe('with a verified session', () => {
  it('creates an instance (201, state close) and lists it', async () => {
    const response = await post({ name: 'acme-prod' }, { cookie: verified })
    expect(response.status).toBe(201)
    const created = await response.json()
    expect(created).toEqual({ name: 'acme-prod', state: 'close', createdAt: expect.any(String) })
    expect(Date.now() - Date.parse(created.createdAt)).toBeLessThan(60_000)

    await post({ name: 'acme-staging' }, { cookie: verified })
    const list = await fetch(URL_, { headers: { cookie: verified } })
    expect(list.status).toBe(200)
    const body = await list.json()
    expect(body.instances.map((i: { name: string }) => i.name)).toEqual(['acme-prod', 'acme-staging'])
    expect(body.instances[0]).toEqual(created)
  })

  it('refuses a name already used in the account with 409 name_taken', async () => {
    await post({ name: 'dup-name' }, { cookie: verified })
    const response = await post({ name: 'dup-name' }, { cookie: verified })
    expect(response.status).toBe(409)
    expect((await errorOf(response)).error).toBe('name_taken')
  })

  it('keeps accounts apart: another account sees none of them and may reuse a name', async () => {
    const list = await fetch(URL_, { headers: { cookie: otherAccount } })
    expect(await list.json()).toEqual({ instances: [] })
    const reuse = await post({ name: 'acme-prod' }, { cookie: otherAccount })
    expect(reuse.status).toBe(201)
    const mine = await (await fetch(URL_, { headers: { cookie: verified } })).json()
    expect(mine.instances.filter((i: { name: string }) => i.name === 'acme-prod')).toHaveLength(1)
  })

  it.each([
    ['too short', { name: 'ab' }, 'Use at least 3 characters.'],
    ['too long', { name: 'a'.repeat(41) }, 'Use at most 40 characters.'],
    ['uppercase', { name: 'Acme-Prod' }, 'Use only lowercase letters, digits and dashes.'],
    ['underscore', { name: 'acme_prod' }, 'Use only lowercase letters, digits and dashes.'],
    ['spaces', { name: 'acme prod' }, 'Use only lowercase letters, digits and dashes.'],
    ['leading dash', { name: '-lead' }, 'Start with a letter or digit, not a dash.'],
    ['not a string', { name: 42 }, 'Give the instance a name.'],
    ['missing', {}, 'Give the instance a name.'],
  ])('refuses a bad name (%s) with 400 invalid_request and details', async (_case, body, message) => {
    const response = await post(body, { cookie: verified })
    expect(response.status).toBe(400)
    const error = await errorOf(response)
    expect(error.error).toBe('invalid_request')
    expect(error.details).toEqual([{ field: 'name', message }])
  })

  it('accepts the edges of the name rule: 3 and 40 characters, digits and dashes', async () => {
    for (const name of ['abc', 'a'.repeat(40), '0-9', 'x--']) {
      const response = await post({ name }, { cookie: verified })
      expect(response.status, name).toBe(201)
    }
  })

  it('refuses malformed JSON and an empty body', async () => {
    const malformed = await post('{"name": ', { cookie: verified })
    expect(malformed.status).toBe(400)
    expect((await errorOf(malformed)).error).toBe('invalid_json')
    const empty = await post('', { cookie: verified })
    expect(empty.status).toBe(400)
    expect((await errorOf(empty)).error).toBe('invalid_request')
  })
})

describe('cross-site requests', () => {
  async function countNamed(name: string) {
    const { eq } = await import('drizzle-orm')
    return (await db.select().from(instances).where(eq(instances.name, name))).length
  }

  it('refuses a POST from another origin with 403 forbidden, and creates nothing', async () => {
    const response = await post({ name: 'csrf-origin' }, { cookie: verified, origin: 'https://evil.example' })
    expect(response.status).toBe(403)
    expect((await errorOf(response)).error).toBe('forbidden')
    expect(await countNamed('csrf-origin')).toBe(0)
  })

  it('refuses what the browser marks cross-site or same-site, and an opaque origin', async () => {
    const crossSite: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'null' }]
    for (const headers of crossSite) {
      const response = await post({ name: 'csrf-fetch-site' }, { cookie: verified, ...headers })
      expect(response.status, JSON.stringify(headers)).toBe(403)
    }
    expect(await countNamed('csrf-fetch-site')).toBe(0)
  })

  it('accepts the same origin (what the dashboard itself sends)', async () => {
    const response = await post({ name: 'same-origin' }, { cookie: verified, origin: stack.baseUrl, 'sec-fetch-site': 'same-origin' })
    expect(response.status).toBe(201)
  })

  it('sets the session cookie HttpOnly and SameSite=Lax (so cross-site requests do not carry it at all)', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await logIn(page, stack.baseUrl, 'other@example.com', PASSWORD)
    const cookie = (await context.cookies()).find((c) => c.name.includes('authjs.session-token'))
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    await context.close()
  })
})

describe('after a password reset', () => {
  it('a session cookie minted before it is refused with 401', async () => {
    const { requestPasswordReset, resetPassword } = await import('@/lib/services/accounts/password-reset')
    const { devMailbox } = await import('@/lib/db/schema')
    const { desc, eq } = await import('drizzle-orm')
    const before = await sessionFor('resets@example.com', { verified: true })
    expect((await fetch(URL_, { headers: { cookie: before } })).status).toBe(200)

    await requestPasswordReset('resets@example.com')
    const [mail] = await db.select().from(devMailbox).where(eq(devMailbox.to, 'resets@example.com')).orderBy(desc(devMailbox.createdAt))
    const token = new URL(mail.text.match(/https?:\/\/\S+/)![0]).searchParams.get('token')!
    expect(await resetPassword({ token, password: 'a fresh passphrase 99' })).toMatchObject({ ok: true })

    const after = await fetch(URL_, { headers: { cookie: before } })
    expect(after.status).toBe(401)
    expect((await errorOf(after)).error).toBe('unauthorized')
  })
})

describe('one instance on the account plane', () => {
  const one = (name: string) => `${stack.baseUrl}/api/v1/me/instances/${name}`

  it('shows and deletes only the account’s own instance, same-origin only', async () => {
    expect((await post({ name: 'to-delete' }, { cookie: verified })).status).toBe(201)
    const shown = await fetch(one('to-delete'), { headers: { cookie: verified } })
    expect(shown.status).toBe(200)
    expect(await shown.json()).toMatchObject({ name: 'to-delete', state: 'close' })

    expect((await fetch(one('to-delete'), { headers: { cookie: otherAccount } })).status).toBe(404)
    const foreignDelete = await fetch(one('to-delete'), { method: 'DELETE', headers: { cookie: otherAccount } })
    expect(foreignDelete.status).toBe(404)
    const crossSite = await fetch(one('to-delete'), { method: 'DELETE', headers: { cookie: verified, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })
    expect(crossSite.status).toBe(403)
    expect((await fetch(one('to-delete'), { method: 'DELETE' })).status).toBe(401)

    const deleted = await fetch(one('to-delete'), { method: 'DELETE', headers: { cookie: verified } })
    expect(deleted.status).toBe(200)
    expect((await fetch(one('to-delete'), { headers: { cookie: verified } })).status).toBe(404)
  })
})
