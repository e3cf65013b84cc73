// The WhatsApp Web client version end to end: a version source (a local HTTP server standing for
// WA_VERSION_URL) → the worker → the version the real Baileys announces to the simulator, which
// refuses clients below its minimum as WhatsApp does (login failure 405); the instance shows it as
// `client_outdated` and comes back on the stored session once the source serves a newer version.
// WA_VERSION pins one; an unreachable source falls back to the last version known to Postgres.
// The instance page says it plainly (screenshots at 1280 and 390 wide, light and dark).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnWorker, stopChild } from '@/lib/runtime/processes'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { createVerifiedAccount } from '@/test-support/accounts'
import { startTestSimulator } from './support/simulator'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { hashPassword } from '@/lib/auth/password'
import { launchBrowser, screenshotPath } from './support/browser'
import { logIn } from './support/accounts'

const FIRST = '2.3000.1000000001'
const NEWER = '2.3000.1000000002'
const PINNED = '2.3000.1000000007'

/** Answers like WhatsApp's service worker script: only the revision, quotes escaped inside a JS string. */
let served = FIRST
const versionSource = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/javascript' })
  response.end(`self.__swData=JSON.parse("{\\"dynamic_data\\":{\\"SiteData\\":{\\"client_revision\\":${served.split('.')[2]}}}}");`)
})
await new Promise<void>((resolve) => versionSource.listen(0, '127.0.0.1', resolve))
const versionUrl = `http://127.0.0.1:${(versionSource.address() as AddressInfo).port}/sw.js`
afterAll(() => new Promise<void>((resolve) => versionSource.close(() => resolve())))

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: { ...sim.env, WA_VERSION_URL: versionUrl } })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())

const account = await createVerifiedAccount(database.url, { instances: ['ver-shop'] })
const api = dataPlane(stack, mintKey(stack, account.email))
const OWN = '15554440000'
const PASSWORD = 'client version passphrase'
await sql`update users set password_hash = ${await hashPassword(PASSWORD)} where id = ${account.userId}`
const browser = await launchBrowser()

type WhatsappWeb = { version: string; source: string; fetchedAt: string | null; updatedAt: string }
async function whatsappWeb(): Promise<WhatsappWeb | null> {
  return ((await (await fetch(`${stack.baseUrl}/api/v1/status`)).json()) as { whatsappWeb: WhatsappWeb | null }).whatsappWeb
}

/** The instance's logged-in socket as the simulator sees it (another than `notId`), with the version its ClientPayload announced. */
async function onlineSession(notId?: string): Promise<{ id: string; clientVersion?: string }> {
  return eventually(async () => (await sim.client.sessions()).find((session) => session.phone === OWN && session.state === 'online' && session.id !== notId), 60_000, 200)
}
const announcedVersion = async () => (await onlineSession()).clientVersion

async function instanceRow() {
  const [row] = await sql`select status_code, status_reason, phone_number, qr_count from instances where name = 'ver-shop'`
  return row
}

const qrEvents = async () => Number((await sql`select count(*)::int as n from instance_events where event = 'QRCODE_UPDATED'`)[0].n)

async function untilOpen() {
  await eventually(async () => ((await instanceRow()).status_code === 'open' ? true : undefined), 60_000, 200)
}

/** Stops every worker, then starts one with `env` on top of the stack's: a restart with other settings. */
async function replaceWorker(env: Record<string, string>) {
  await Promise.all(stack.workers.map((worker) => stopChild(worker)))
  const worker = spawnWorker({ ...stack.env, ...env }, 'pipe')
  stack.workers.push(worker)
}

await pairInstance(api, sim, 'ver-shop', OWN)

describe('the WhatsApp Web client version', () => {
  it('is read from the version source, announced at login and shown by GET /api/v1/status', async () => {
    expect(await announcedVersion()).toBe(FIRST)
    expect(await whatsappWeb()).toMatchObject({ version: FIRST, source: 'fetched', fetchedAt: expect.any(String) })
  })

  it('refused as outdated, shows client_outdated and reconnects without a new QR once the source serves a newer one', async () => {
    const qrsBefore = await qrEvents()
    await sim.client.setClientVersion({ minimum: NEWER })
    const restarted = await api('ver-shop/restart', { method: 'POST' })
    expect(restarted.status, JSON.stringify(restarted.body)).toBeLessThan(300)

    const refused = await eventually(async () => {
      const row = await instanceRow()
      return row.status_code === 'client_outdated' ? row : undefined
    }, 30_000, 100)
    expect(refused.status_reason).toContain('outdated')
    expect(refused.status_reason).toContain(FIRST)
    expect(refused.phone_number).toBe(OWN)
    expect((await api('ver-shop/connectionState')).body.instance.state).toBe('connecting')
    const refusals = async () => (await sql`select data from instance_events where event = 'CONNECTION_UPDATE' and data->>'statusReason' = '405'`).map((row) => row.data)
    expect(await refusals()).toEqual([expect.objectContaining({ state: 'connecting', statusReason: 405, reason: 'WhatsApp refused this client version as outdated.' })])

    // The instance page names the trouble and promises no QR; it stays so while the source serves the refused version.
    const pages = []
    for (const dark of [false, true]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: dark ? 'dark' : 'light' })
      context.setDefaultTimeout(30_000)
      const page = await context.newPage()
      await logIn(page, stack.baseUrl, account.email, PASSWORD)
      await page.goto(`${stack.baseUrl}/instances/ver-shop`)
      await page.getByRole('heading', { name: 'WhatsApp asks for a newer version' }).waitFor()
      await page.getByText(/no new QR code is needed/).first().waitFor()
      expect(await page.locator('img[data-qr]').count()).toBe(0)
      for (const [label, width] of [['desktop', 1280], ['phone', 390]] as const) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 })
        await page.screenshot({ path: screenshotPath(`instance-client-outdated-${dark ? 'dark' : 'light'}-${label}`), fullPage: true })
      }
      pages.push(page)
    }

    served = NEWER
    // Without a reload, the pages turn connected.
    for (const page of pages) await page.getByRole('heading', { name: 'Connected to WhatsApp' }).waitFor({ timeout: 60_000 })
    await untilOpen()
    expect(await announcedVersion()).toBe(NEWER)
    expect(await qrEvents()).toBe(qrsBefore)
    // Announced once, however many attempts WhatsApp refused meanwhile.
    expect(await refusals()).toHaveLength(1)
    expect(await instanceRow()).toMatchObject({ phone_number: OWN, qr_count: 0, status_reason: null })
    expect(await whatsappWeb()).toMatchObject({ version: NEWER, source: 'fetched' })
  }, 120_000)

  it('falls back to the last known version when the source cannot be reached', async () => {
    const before = await whatsappWeb()
    const previous = await onlineSession()
    await new Promise<void>((resolve) => versionSource.close(() => resolve()))
    await replaceWorker({})
    // The new worker announces the version Postgres keeps, not the older one Baileys ships.
    expect((await onlineSession(previous.id)).clientVersion).toBe(NEWER)
    await untilOpen()
    const after = await whatsappWeb()
    expect(after).toMatchObject({ version: NEWER, source: 'fetched', fetchedAt: before!.fetchedAt })
  }, 90_000)

  it('is pinned by WA_VERSION, whatever the source says', async () => {
    const previous = await onlineSession()
    await replaceWorker({ WA_VERSION: PINNED })
    expect((await onlineSession(previous.id)).clientVersion).toBe(PINNED)
    await untilOpen()
    expect(await whatsappWeb()).toMatchObject({ version: PINNED, source: 'pinned' })

    // A pinned version that WhatsApp refuses says what to do about it; it gets in once WhatsApp accepts it again.
    await sim.client.setClientVersion({ minimum: '2.3000.1000000008' })
    await api('ver-shop/restart', { method: 'POST' })
    const refused = await eventually(async () => {
      const row = await instanceRow()
      return row.status_code === 'client_outdated' ? row : undefined
    }, 30_000, 100)
    expect(refused.status_reason).toContain(`It announced WhatsApp Web ${PINNED}; WA_VERSION pins that version: pin a newer one.`)
    await sim.client.setClientVersion({ minimum: null })
    await untilOpen()
    expect(await announcedVersion()).toBe(PINNED)
  }, 120_000)
})
