// Every server action goes through lib/actions/server-action.ts. Here a real one (creating an
// instance from the Instances page) is captured in the browser and replayed by hand: the replay
// works as it is, but not without the session, and not when the browser says it came from another
// site, whatever the Origin says.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import type { Request } from 'playwright-core'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { launchBrowser } from './support/browser'
import { cookieHeader, logIn, see } from './support/accounts'

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0 })
const browser = await launchBrowser()
const { createUser } = await import('@/lib/services/accounts/users')
const sql = postgres(database.url, { max: 1, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

async function instanceNames(): Promise<string[]> {
  return (await sql`select name from instances order by name`).map((row) => row.name as string)
}

describe('the server-action wrapper', () => {
  it('refuses a replay without the session or marked cross-site, and runs a faithful one', async () => {
    await createUser({ email: 'actions@example.com', password: 'server action passphrase', verified: true })
    const context = await browser.newContext()
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    await logIn(page, stack.baseUrl, 'actions@example.com', 'server action passphrase')

    const captured = page.waitForRequest((request) => request.method() === 'POST' && Boolean(request.headers()['next-action']))
    await page.getByLabel('Instance name').fill('from-the-page')
    await page.getByRole('button', { name: 'Create instance' }).click()
    const request: Request = await captured
    await see(page, /^Instance from-the-page created/)

    const headers: Record<string, string> = { ...(await request.allHeaders()), cookie: await cookieHeader(context) }
    for (const name of Object.keys(headers)) if (name.startsWith(':') || name === 'content-length') delete headers[name]
    const body = request.postData() ?? ''
    expect(body).toContain('from-the-page')
    const replay = (name: string, changes: Record<string, string | undefined>) => {
      const sent: Record<string, string> = { ...headers }
      for (const [header, value] of Object.entries(changes)) {
        if (value === undefined) delete sent[header]
        else sent[header] = value
      }
      return fetch(request.url(), { method: 'POST', headers: sent, body: body.replace('from-the-page', name), redirect: 'manual' })
    }

    const faithful = await replay('replayed-here', {})
    expect(faithful.status).toBe(200)
    expect(await instanceNames()).toEqual(['from-the-page', 'replayed-here'])

    // Same Origin as the host (so Next.js lets it through), but the browser says the page was another site's.
    const crossSite = await replay('cross-site', { 'sec-fetch-site': 'cross-site' })
    expect(await crossSite.text()).toContain('Cross-site requests are not allowed')
    expect(await instanceNames()).toEqual(['from-the-page', 'replayed-here'])

    // No session: sent to log in, back to the page afterwards; nothing created.
    const loggedOut = await replay('no-session', { cookie: undefined })
    expect(loggedOut.headers.get('x-action-redirect') ?? loggedOut.headers.get('location') ?? '').toMatch(/^\/login\?next=%2Finstances/)
    expect(await instanceNames()).toEqual(['from-the-page', 'replayed-here'])
    await context.close()
  }, 60_000)
})
