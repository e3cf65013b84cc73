// An account's data from keeping to letting go, on one real stack (web, worker, Baileys, the simulator):
// the settings page's retention form, the export (API and dashboard download, 10,000 messages, no
// secrets), and deleting the account from the dashboard and from the CLI: devices logged out, not one
// row of the account left in any table (every table of the schema is searched, so a new one cannot be
// forgotten), sessions ended, the email sent, and another account untouched. Screenshots at 1280 and 390.
import { readFile } from 'node:fs/promises'
import postgres from 'postgres'
import type { Page, Request } from 'playwright-core'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { launchBrowser, screenshotPath } from './support/browser'
import { cookieHeader, logIn, see, submit } from './support/accounts'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey, runCli } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { eventually } from '@/test-support/eventually'

vi.setConfig({ testTimeout: 180_000 })

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env, workers: 1 })
const browser = await launchBrowser()
const { createUser } = await import('@/lib/services/accounts/users')
const { baseUrl } = stack
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

const PASSWORD = 'lifecycle passphrase'
const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }
const MESSAGES = 10_000

/** A verified account with one instance, paired to the simulator's phone `phone`, and rows in every table an account fills. */
async function populatedAccount(email: string, instanceName: string, phone: string, messages = 20) {
  const user = await createUser({ email, password: PASSWORD, verified: true })
  const [instance] = await sql`insert into instances (user_id, name) values (${user.id}, ${instanceName}) returning id`
  const accountKey = mintKey(stack, email, '--scope', 'account', '--rate-limit', '1000')
  const api = dataPlane(stack, accountKey)
  await pairInstance(api, sim, instanceName, phone)
  await sql`
    insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, message_type, message, message_timestamp, status, created_at)
    select ${instance.id}, ${user.id}, 'LC' || n, '15557770000@s.whatsapp.net', n % 2 = 0, 'conversation',
      jsonb_build_object('conversation', 'message ' || n), 1700000000 + n, 'READ', now() - make_interval(secs => ${messages} - n)
    from generate_series(1, ${messages}) as n`
  const [first] = await sql`select id from messages where instance_id = ${instance.id} order by created_at limit 1`
  await sql`insert into message_media (message_id, data, mimetype, file_name) values (${first.id}, ${Buffer.from('bytes')}, 'image/png', 'a.png')`
  await sql`insert into contacts (instance_id, user_id, jid, push_name) values (${instance.id}, ${user.id}, '15557770000@s.whatsapp.net', 'Ann')`
  await sql`insert into chats (instance_id, user_id, jid, name) values (${instance.id}, ${user.id}, '15557770000@s.whatsapp.net', 'Ann')`
  const [endpoint] = await sql`
    insert into webhook_endpoints (user_id, url, events, secret) values (${user.id}, 'https://hooks.example.com/in', '{MESSAGES_UPSERT}', ${Buffer.from('sealed')}) returning id`
  const [delivery] = await sql`
    insert into webhook_deliveries (endpoint_id, user_id, test_event, status, attempts) values (${endpoint.id}, ${user.id}, ${sql.json({ event: 'WEBHOOK_TEST' })}, 'succeeded', 1) returning id`
  await sql`insert into webhook_attempts (delivery_id, status_code) values (${delivery.id}, 200)`
  await sql`insert into account_retention (user_id, messages_days) values (${user.id}, 30)`
  await sql`insert into idempotency_keys (user_id, key, request_hash) values (${user.id}, 'k1', 'h')`
  await sql`insert into email_tokens (user_id, purpose, token_hash, expires_at) values (${user.id}, 'reset_password', ${'t-' + user.id}, now() + interval '1 hour')`
  await sql`insert into usage_hourly (user_id, subject_kind, subject_id, hour, metric, count) values (${user.id}, 'instance', ${instance.id}, date_trunc('hour', now()), 'rate_limited', 3) on conflict do nothing`
  return { user, instanceId: instance.id as string, instanceName, phone, api, accountKey }
}

/** Every table of the database (ours and graphile-worker's) and how many of its rows mention any of `needles`. */
async function rowsMentioning(needles: string[]): Promise<Record<string, number>> {
  const tables = await sql<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_schema in ('public', 'graphile_worker') and table_type = 'BASE TABLE' order by 1, 2`
  expect(tables.map((table) => table.name)).toEqual(expect.arrayContaining(['users', 'instances', 'messages', 'message_media', 'webhook_attempts', 'usage_hourly', 'account_retention']))
  const found: Record<string, number> = {}
  for (const table of tables) {
    const [row] = await sql`
      select count(*)::int as count from ${sql(table.schema)}.${sql(table.name)} as t
      where t::text ilike any(${needles.map((needle) => `%${needle}%`)})`
    if (row.count > 0) found[`${table.schema}.${table.name}`] = row.count
  }
  return found
}

async function identifiersOf(userId: string, email: string): Promise<string[]> {
  const instances = await sql`select id from instances where user_id = ${userId}`
  const keys = await sql`select id from api_keys where user_id = ${userId}`
  const endpoints = await sql`select id from webhook_endpoints where user_id = ${userId}`
  // Rows that name neither the account nor an instance: found by their parent's id.
  const deliveries = await sql`select id from webhook_deliveries where user_id = ${userId}`
  const media = await sql`select media.message_id as id from message_media media join messages on messages.id = media.message_id where messages.user_id = ${userId}`
  return [userId, email, ...[...instances, ...keys, ...endpoints, ...deliveries, ...media].map((row) => row.id as string)]
}

async function countsOf(userId: string) {
  const [row] = await sql`
    select (select count(*) from instances where user_id = ${userId})::int as instances,
      (select count(*) from messages where user_id = ${userId})::int as messages,
      (select count(*) from webhook_endpoints where user_id = ${userId})::int as endpoints,
      (select count(*) from api_keys where user_id = ${userId})::int as keys`
  return row
}

async function shoot(page: Page, name: string) {
  for (const [label, viewport] of [['1280', DESKTOP], ['390', PHONE]] as const) {
    await page.setViewportSize(viewport)
    await page.screenshot({ path: screenshotPath(`data-lifecycle-${name}-${label}`), fullPage: true })
  }
  await page.setViewportSize(DESKTOP)
}

const leaver = await populatedAccount('leaver@example.com', 'leaver-shop', '15550003001', MESSAGES)
const stayer = await populatedAccount('stayer@example.com', 'stayer-shop', '15550003002')
const stayerBefore = await countsOf(stayer.user.id)

describe('export', () => {
  it('GET /api/v1/export streams every instance, contact, chat and all 10,000 messages, without secrets', async () => {
    const response = await fetch(`${baseUrl}/api/v1/export`, { headers: { authorization: `Bearer ${leaver.accountKey}` } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/x-ndjson')
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="sage-export-\d{4}-\d{2}-\d{2}\.jsonl"/)
    const text = await response.text()
    const records = text.trimEnd().split('\n').map((line) => JSON.parse(line))
    expect(records[0]).toMatchObject({ type: 'export', version: 1, email: 'leaver@example.com' })
    const ofType = (type: string) => records.filter((record) => record.type === type)
    expect(ofType('instance')).toEqual([expect.objectContaining({ name: 'leaver-shop', state: 'open', phoneNumber: expect.stringContaining('15550003001') })])
    expect(ofType('contact')).toEqual([expect.objectContaining({ instance: 'leaver-shop', jid: '15557770000@s.whatsapp.net', pushName: 'Ann' })])
    expect(ofType('chat')).toEqual([expect.objectContaining({ instance: 'leaver-shop', name: 'Ann', archived: false, pinned: false, mutedUntil: null, markedUnread: false })])
    const messages = ofType('message')
    expect(messages).toHaveLength(MESSAGES)
    expect(new Set(messages.map((message) => message.waId)).size).toBe(MESSAGES)
    expect(messages.at(-1)).toMatchObject({ instance: 'leaver-shop', waId: `LC${MESSAGES}`, message: { conversation: `message ${MESSAGES}` }, status: 'READ' })
    // Nothing of the other account, and no secret of this one.
    expect(text).not.toContain('stayer')
    expect(text).not.toMatch(/"(secret|hash|passwordHash|value|proxySealed|sendContent)"/)
  })

  it('an instance key may not export the account (403 insufficient_scope), nor can an anonymous caller', async () => {
    const instanceKey = mintKey(stack, 'leaver@example.com')
    const refused = await fetch(`${baseUrl}/api/v1/export`, { headers: { authorization: `Bearer ${instanceKey}` } })
    expect(refused.status).toBe(403)
    expect((await refused.json()).error).toBe('insufficient_scope')
    expect((await fetch(`${baseUrl}/api/v1/export`)).status).toBe(401)
    expect((await fetch(`${baseUrl}/api/v1/me/export`)).status).toBe(401)
  })
})

describe('the settings page', () => {
  it('changes retention within its bounds and names the field that is out of them', async () => {
    const context = await browser.newContext({ viewport: DESKTOP })
    context.setDefaultTimeout(30_000)
    const page = await context.newPage()
    await logIn(page, baseUrl, 'stayer@example.com', PASSWORD)
    await page.goto(`${baseUrl}/settings`)
    expect(await page.getByLabel('Messages (days)').inputValue()).toBe('30') // its own row
    expect(await page.getByLabel('Events (days)').inputValue()).toBe('7') // the default

    await page.getByLabel('Events (days)').fill('31')
    await page.getByLabel('Media files (days)').fill('0')
    await submit(page, 'Save retention')
    await see(page, 'Events retention must be a whole number of days from 1 to 30.')
    await see(page, 'Media files retention must be a whole number of days from 1 to 3650.')
    await shoot(page, 'retention-refused')
    const [unchanged] = await sql`select media_days, events_days from account_retention where user_id = ${stayer.user.id}`
    expect(unchanged).toEqual({ media_days: null, events_days: null })

    await page.getByLabel('Events (days)').fill('3')
    await page.getByLabel('Media files (days)').fill('14')
    await submit(page, 'Save retention')
    await see(page, 'Retention saved.')
    const [saved] = await sql`select messages_days, media_days, events_days, webhook_deliveries_days from account_retention where user_id = ${stayer.user.id}`
    expect(saved).toEqual({ messages_days: 30, media_days: 14, events_days: 3, webhook_deliveries_days: 30 })
    await context.close()
  })

  it('downloads the export from the dashboard', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true })
    context.setDefaultTimeout(30_000)
    const page = await context.newPage()
    await logIn(page, baseUrl, 'leaver@example.com', PASSWORD)
    await page.goto(`${baseUrl}/settings`)
    await shoot(page, 'settings')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download export' }).click()])
    expect(download.suggestedFilename()).toMatch(/^sage-export-\d{4}-\d{2}-\d{2}\.jsonl$/)
    const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\n')
    expect(lines.filter((line) => JSON.parse(line).type === 'message')).toHaveLength(MESSAGES)
    await context.close()
  })
})

describe('background export', () => {
  it('builds 10,000 messages in a worker with progress on the settings page, emails when ready, and downloads only to its account until it expires', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true })
    context.setDefaultTimeout(60_000)
    const page = await context.newPage()
    await logIn(page, baseUrl, 'leaver@example.com', PASSWORD)
    await page.goto(`${baseUrl}/settings`)
    // The worker writes its progress after every piece of about 1 MB: watch the row while it builds.
    const seen = new Set<string>()
    let watching = true
    const watcher = (async () => {
      while (watching) {
        const [row] = await sql`select status, records_done, records_total from account_exports where user_id = ${leaver.user.id} order by created_at desc limit 1`
        if (row) seen.add(`${row.status}:${row.records_done}/${row.records_total}`)
        await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    await page.getByRole('button', { name: 'Prepare an export in the background' }).click()
    await page.getByRole('progressbar', { name: 'Export progress' }).or(page.getByText('Ready:')).first().waitFor()
    if (await page.getByRole('progressbar').isVisible()) await shoot(page, 'export-progress')
    await page.getByTestId('export-status').getByText('Ready:').waitFor({ timeout: 120_000 })
    watching = false
    await watcher
    const total = MESSAGES + 3 // the instance, its contact and its chat
    const building = [...seen].filter((state) => state.startsWith('building:')).map((state) => Number(state.split(':')[1].split('/')[0]))
    expect(building.some((done) => done > 0 && done < total), [...seen].join(' ')).toBe(true)
    await shoot(page, 'export-ready')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download it' }).click()])
    expect(download.suggestedFilename()).toMatch(/^sage-export-\d{4}-\d{2}-\d{2}\.jsonl$/)
    const records = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line))
    expect(records[0]).toMatchObject({ type: 'export', email: 'leaver@example.com' })
    const messages = records.filter((record) => record.type === 'message')
    expect(messages).toHaveLength(MESSAGES)
    expect(new Set(messages.map((message) => message.waId)).size).toBe(MESSAGES)
    expect(records).toHaveLength(total + 1)
    await context.close()

    const [email] = await sql`select subject, text from dev_mailbox where "to" = 'leaver@example.com' and subject = 'Your SAGE-API export is ready'`
    expect(email.text).toContain(`${(total).toLocaleString('en-US')} records`)
    expect(email.text).toContain(`${baseUrl}/settings`)

    // The API: the same export, followed and downloaded with the account key; never by another account.
    const [row] = await sql`select id from account_exports where user_id = ${leaver.user.id} order by created_at desc limit 1`
    const status = await (await fetch(`${baseUrl}/api/v1/export/${row.id}`, { headers: { authorization: `Bearer ${leaver.accountKey}` } })).json()
    expect(status).toMatchObject({ status: 'ready', progress: { done: total, total, percent: 100 }, downloadUrl: `/api/v1/export/${row.id}/download` })
    const viaKey = await fetch(`${baseUrl}${status.downloadUrl}`, { headers: { authorization: `Bearer ${leaver.accountKey}` } })
    expect(viaKey.status).toBe(200)
    expect((await viaKey.text()).trimEnd().split('\n')).toHaveLength(total + 1)
    const otherAccount = await fetch(`${baseUrl}${status.downloadUrl}`, { headers: { authorization: `Bearer ${stayer.accountKey}` } })
    expect(otherAccount.status).toBe(404)
    expect((await fetch(`${baseUrl}/api/v1/export/not-a-uuid`, { headers: { authorization: `Bearer ${leaver.accountKey}` } })).status).toBe(404)

    // Past its expiry it cannot be downloaded, and retention deletes it with its pieces.
    await sql`update account_exports set expires_at = now() - interval '1 minute' where id = ${row.id}`
    const expired = await fetch(`${baseUrl}${status.downloadUrl}`, { headers: { authorization: `Bearer ${leaver.accountKey}` } })
    expect(expired.status).toBe(404)
    expect((await expired.json()).message).toContain('expired')
  })

  it('POST /api/v1/export answers 202 with the export queued, and the same one while it is on its way', async () => {
    const first = await fetch(`${baseUrl}/api/v1/export`, { method: 'POST', headers: { authorization: `Bearer ${stayer.accountKey}` } })
    expect(first.status).toBe(202)
    const queued = await first.json()
    expect(queued).toMatchObject({ status: expect.stringMatching(/^(queued|building|ready)$/), downloadUrl: null })
    const again = await (await fetch(`${baseUrl}/api/v1/export`, { method: 'POST', headers: { authorization: `Bearer ${stayer.accountKey}` } })).json()
    if (again.status !== 'ready') expect(again.id).toBe(queued.id)
    const ready = await eventually(async () => {
      const body = await (await fetch(`${baseUrl}/api/v1/export/${queued.id}`, { headers: { authorization: `Bearer ${stayer.accountKey}` } })).json()
      return body.status === 'ready' ? body : undefined
    }, 60_000)
    expect(ready.progress.done).toBe(20 + 3)
  })
})

describe('deleting an account', () => {
  it('refuses a wrong email and a wrong password, each named on its field, and deletes nothing', async () => {
    const context = await browser.newContext({ viewport: DESKTOP })
    context.setDefaultTimeout(30_000)
    const page = await context.newPage()
    await logIn(page, baseUrl, 'leaver@example.com', PASSWORD)
    await page.goto(`${baseUrl}/settings`)
    await page.getByLabel(/to confirm/).fill('someone-else@example.com')
    await page.getByLabel('Your password').fill('not my password')
    await submit(page, 'Delete account and all its data')
    await see(page, "Type your account's email, leaver@example.com, to confirm.")
    await see(page, 'That is not your password.')
    await shoot(page, 'delete-refused')
    // The right email alone is not enough.
    await page.getByLabel(/to confirm/).fill('leaver@example.com')
    await page.getByLabel('Your password').fill('still wrong')
    await submit(page, 'Delete account and all its data')
    await see(page, 'That is not your password.')
    expect(await page.getByText('to confirm.').count()).toBe(0)
    expect((await countsOf(leaver.user.id)).messages).toBe(MESSAGES)
    await context.close()
  })

  it('a replay of the delete action marked cross-site is refused (the CSRF check), with the right email and password', async () => {
    const context = await browser.newContext({ viewport: DESKTOP })
    context.setDefaultTimeout(30_000)
    const page = await context.newPage()
    await logIn(page, baseUrl, 'leaver@example.com', PASSWORD)
    await page.goto(`${baseUrl}/settings`)
    // The page's own post is captured and stopped, then replayed by hand as another site's.
    await page.route('**/settings', (route, request) => (request.method() === 'POST' ? route.abort() : route.continue()))
    const captured = page.waitForRequest((request) => request.method() === 'POST' && Boolean(request.headers()['next-action']))
    await page.getByLabel(/to confirm/).fill('leaver@example.com')
    await page.getByLabel('Your password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Delete account and all its data' }).click()
    const request: Request = await captured
    const headers: Record<string, string> = { ...(await request.allHeaders()), cookie: await cookieHeader(context), 'sec-fetch-site': 'cross-site' }
    for (const name of Object.keys(headers)) if (name.startsWith(':') || name === 'content-length') delete headers[name]
    const replay = await fetch(request.url(), { method: 'POST', headers, body: request.postData() ?? '', redirect: 'manual' })
    expect(await replay.text()).toContain('Cross-site requests are not allowed')
    expect((await countsOf(leaver.user.id)).messages).toBe(MESSAGES)
    await context.close()
  })

  it('with the email and password: devices logged out, nothing of the account left anywhere, session ended, email sent, the other account untouched', async () => {
    const needles = await identifiersOf(leaver.user.id, 'leaver@example.com')
    // The search finds what is there, in every kind of table.
    expect(Object.keys(await rowsMentioning(needles))).toEqual(
      expect.arrayContaining(['users', 'instances', 'whatsapp_auth_keys', 'messages', 'message_media', 'contacts', 'chats', 'instance_events', 'webhook_endpoints', 'webhook_deliveries', 'webhook_attempts', 'api_keys', 'email_tokens', 'idempotency_keys', 'usage_hourly', 'account_retention'].map((table) => `public.${table}`)),
    )
    expect((await sim.client.account(leaver.phone)).companions).toHaveLength(1)

    const context = await browser.newContext({ viewport: DESKTOP })
    context.setDefaultTimeout(60_000)
    const page = await context.newPage()
    await logIn(page, baseUrl, 'leaver@example.com', PASSWORD)
    await page.goto(`${baseUrl}/settings`)
    await page.getByLabel(/to confirm/).fill('Leaver@Example.com')
    await page.getByLabel('Your password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Delete account and all its data' }).click()
    await page.waitForURL(/\/login\?deleted=1/)
    await see(page, 'Your account and all its data are deleted.')
    await shoot(page, 'deleted')

    expect((await sim.client.account(leaver.phone)).companions).toHaveLength(0)
    // The dev mailbox holds the confirmation email (it stands in for the email provider, so the address is there by design).
    // (and the export-ready email of the background export).
    expect(await rowsMentioning(needles)).toEqual({ 'public.dev_mailbox': 2 })
    const [email] = await sql`select subject, text from dev_mailbox where "to" = 'leaver@example.com' order by created_at desc limit 1`
    expect(email.subject).toBe('Your SAGE-API account was deleted')

    // The old session is refused: the dashboard sends it to log in, and the account can no longer log in.
    await page.goto(`${baseUrl}/settings`)
    await page.waitForURL(/\/login/)
    const keyRefused = await fetch(`${baseUrl}/api/v1/export`, { headers: { authorization: `Bearer ${leaver.accountKey}` } })
    expect(keyRefused.status).toBe(401)

    expect(await countsOf(stayer.user.id)).toEqual(stayerBefore)
    expect((await sim.client.account(stayer.phone)).companions).toHaveLength(1)
    expect((await stayer.api('stayer-shop/connectionState')).body.instance.state).toBe('open')
    await context.close()
  })

  it('sage user:delete does the same from the command line', async () => {
    const needles = await identifiersOf(stayer.user.id, 'stayer@example.com')
    const result = runCli(stack.env, 'user:delete', '--email', 'Stayer@example.com')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('Deleted stayer@example.com and all its data.')
    expect((await sim.client.account(stayer.phone)).companions).toHaveLength(0)
    expect(await rowsMentioning(needles)).toEqual({ 'public.dev_mailbox': 2 })
    const missing = runCli(stack.env, 'user:delete', '--email', 'stayer@example.com')
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('No account with the email stayer@example.com')
  })
})
