// Auto-pause through the real Baileys and the simulator: WhatsApp's rate-overlimit answer, refused
// sends (error acks) and a ban-like login refusal each stop the instance's sending, say why in
// status_code and an INSTANCE_HEALTH event, hold the sends (never drop them), and a resume sends them.
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { startTestSimulator } from './support/simulator'
import { createVerifiedAccount } from '@/test-support/accounts'
import { dataPlane } from '@/test-support/data-plane'
import { mintKey } from '@/test-support/cli'
import { pairInstance } from '@/test-support/pairing'
import { sessionCookie } from '@/test-support/accounts'
import { launchBrowser, screenshotPath } from './support/browser'

const database = await useTestDatabase()
const sim = await startTestSimulator()
const stack = await startStack({ databaseUrl: database.url, env: sim.env })
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end())
const { WEBHOOK_EVENT_DATA } = await import('@/lib/api/openapi/webhook-events')

const OWN = '15551193000'
const ALICE = '919876593001'
const BOB = '919876593002'
const CAROL = '919876593003'
const DAVE = '919876593004'
const account = await createVerifiedAccount(database.url, { instances: ['shop'] })
const api = dataPlane(stack, mintKey(stack, account.email, '--rate-limit', '10000'))
for (const [phone, name] of [[ALICE, 'Alice'], [BOB, 'Bob'], [CAROL, 'Carol'], [DAVE, 'Dave']]) await sim.client.createAccount(phone, name)
await pairInstance(api, sim, 'shop', OWN)

const sendText = (number: string, text: string) => api('shop/message/sendText', { method: 'POST', body: JSON.stringify({ number, text }) })
const resume = () => api('shop/resume', { method: 'POST' })

async function instanceRow() {
  const [row] = await sql`select status_code, state, desired_state, send_pause_reason, status_reason from instances where name = 'shop'`
  return row
}

/** INSTANCE_HEALTH events so far, each checked against its documented shape. */
async function healthEvents() {
  const rows = await sql`select data from instance_events where event = 'INSTANCE_HEALTH' order by seq`
  for (const row of rows) expect(WEBHOOK_EVENT_DATA.INSTANCE_HEALTH.schema.safeParse(row.data).error).toBeUndefined()
  return rows.map((row) => row.data as { state: string; reason: string | null; statusCode: string })
}

async function textsReceived(phone: string) {
  const messages = await sim.client.messages(phone, { from: OWN })
  return messages.map((message) => JSON.stringify(message.message))
}

describe('auto-pause', () => {
  it('rate-overlimit pauses the instance and holds its sends; a resume sends them, in order', async () => {
    await sim.client.setSendingLimits(OWN, { rateOverlimit: true })
    const first = await sendText(ALICE, 'first while limited')
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    expect(first.body).toMatchObject({ status: 'QUEUED_BY_POLICY', policyReason: 'paused' })
    expect(first.body.plannedAt).toBeUndefined()
    expect(await instanceRow()).toMatchObject({ status_code: 'send_paused', state: 'open', send_pause_reason: 'rate_overlimit' })
    expect((await instanceRow()).status_reason).toContain('rate-overlimit')
    expect(await healthEvents()).toEqual([expect.objectContaining({ state: 'paused', reason: 'rate_overlimit', statusCode: 'send_paused' })])

    // Paused: the next send is held at once too, and nothing reaches WhatsApp (the limit is lifted, the pause is not).
    await sim.client.setSendingLimits(OWN, { rateOverlimit: false })
    const second = await sendText(ALICE, 'second while paused')
    expect(second.body).toMatchObject({ status: 'QUEUED_BY_POLICY', policyReason: 'paused' })
    expect(await textsReceived(ALICE)).toEqual([])
    const [held] = await sql`select count(*)::int as n from messages where from_me and status = 'QUEUED_BY_POLICY' and policy_reason = 'paused'`
    expect(held.n).toBe(2)

    const resumed = await resume()
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(200)
    expect(resumed.body).toEqual({ instanceName: 'shop', state: 'open', statusCode: 'open', sendPause: null, resumed: true })
    const received = await eventually(async () => {
      const texts = await textsReceived(ALICE)
      return texts.length === 2 ? texts : undefined
    }, 20_000)
    expect(received[0]).toContain('first while limited')
    expect(received[1]).toContain('second while paused')
    expect((await healthEvents()).at(-1)).toMatchObject({ state: 'resumed', reason: null, statusCode: 'open' })
    // Resuming again changes nothing.
    expect((await resume()).body).toMatchObject({ resumed: false, statusCode: 'open' })
  })

  it('three sends WhatsApp refuses (error acks) pause it', async () => {
    await sim.client.setSendingLimits(OWN, { refuseSendsWith: '463' })
    for (const text of ['refused 1', 'refused 2', 'refused 3']) {
      // The error ack may come before or after the worker records the send as handed over.
      const response = await sendText(BOB, text)
      if (response.status !== 201) expect(response.body).toMatchObject({ error: 'whatsapp_error', message: 'WhatsApp refused the message.' })
      else expect(response.body.status, JSON.stringify(response.body)).toBe('SERVER_ACK')
    }
    await eventually(async () => {
      const row = await instanceRow()
      const errors = await sql`select wa_id, status, error_code from messages where remote_jid = ${`${BOB}@s.whatsapp.net`}`
      expect(row.send_pause_reason, JSON.stringify({ row, errors })).toBe('sends_refused')
      return true
    }, 15_000)
    expect((await instanceRow()).status_code).toBe('send_paused')
    expect((await healthEvents()).at(-1)).toMatchObject({ state: 'paused', reason: 'sends_refused' })
    const [refused] = await sql`select count(*)::int as n from messages where remote_jid = ${`${BOB}@s.whatsapp.net`} and status = 'ERROR'`
    expect(refused.n).toBe(3)
    await sim.client.setSendingLimits(OWN, { refuseSendsWith: null })
    expect((await resume()).body).toMatchObject({ resumed: true, statusCode: 'open' })
  })

  it('a ban-like login refusal (403) pauses and stops it; a resume after the ban connects it again and sends', async () => {
    await sim.client.ban(OWN, 0, { permanent: true })
    const banned = await eventually(async () => {
      const row = await instanceRow()
      return row.status_code === 'banned' ? row : undefined
    }, 30_000)
    expect(banned).toMatchObject({ state: 'close', desired_state: 'disconnected', send_pause_reason: 'forbidden' })
    expect((await healthEvents()).at(-1)).toMatchObject({ state: 'paused', reason: 'forbidden', statusCode: 'banned' })
    expect((await sendText(CAROL, 'while banned')).body.error).toBe('instance_not_connected')

    await sim.client.unban(OWN)
    const resumed = await resume()
    expect(resumed.status).toBe(200)
    expect(resumed.body).toMatchObject({ resumed: true, sendPause: null })
    await eventually(async () => ((await instanceRow()).status_code === 'open' ? true : undefined), 30_000, 200)
    const after = await sendText(CAROL, 'after the ban')
    expect(after.body.status, JSON.stringify(after.body)).toBe('SERVER_ACK')
  })

  it('resume answers 404 for an unknown instance and 405 for GET', async () => {
    expect((await api('nope/resume', { method: 'POST' })).status).toBe(404)
    expect((await api('shop/resume')).status).toBe(405)
  })
})

describe('the health panel on the instance page', () => {
  it('shows today against the caps, the 7-day rates and the pauses, and resumes a paused instance, at 1280 and 390 px', async () => {
    await sim.client.setSendingLimits(OWN, { rateOverlimit: true })
    expect((await sendText(DAVE, 'held for the panel')).body).toMatchObject({ status: 'QUEUED_BY_POLICY', policyReason: 'paused' })
    await sim.client.setSendingLimits(OWN, { rateOverlimit: false })

    const browser = await launchBrowser()
    const [cookieName, ...rest] = (await sessionCookie(database.url, account.userId, stack.env.AUTH_SECRET!)).split('=')
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.addCookies([{ name: cookieName, value: rest.join('='), url: stack.baseUrl }])
    const page = await context.newPage()
    await page.goto(`${stack.baseUrl}/instances/shop`)
    const panel = page.locator('section[aria-labelledby="health-heading"]')
    await panel.scrollIntoViewIfNeeded()
    expect(await panel.getByRole('alert').textContent()).toContain('Sending is paused: Rate limit (429 rate-overlimit)')
    // Sent today: the two of the first test, Carol's after the ban; the refused ones count as sent too.
    const figures = Object.fromEntries(
      await panel.locator('dl > div').evaluateAll((cells) => cells.map((cell) => [cell.querySelector('dt')?.textContent, cell.querySelector('dd')?.textContent])),
    )
    const [{ sent }] = await sql`select count(*)::int as sent from messages where via_api and sent_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`
    expect(figures['Sent today']).toBe(String(sent))
    expect(figures['New chats today']).toMatch(/^\d+$/) // the suite turned the cap off (test-support/send-policy.ts)
    expect(figures['Delivered, 7 days']).toMatch(/^\d+%$/)
    const pauses = panel.getByRole('list', { name: 'Pauses' }).locator('li')
    expect(await pauses.count()).toBe(4) // rate limit, refused, 403, and this one
    expect(await pauses.first().textContent()).toContain('Rate limit')
    await page.screenshot({ path: screenshotPath('health-panel-paused-1280'), fullPage: true })
    await panel.screenshot({ path: screenshotPath('health-panel-only-paused-1280') })
    expect(await page.getByText('Online, sending paused').count()).toBe(1)
    await page.setViewportSize({ width: 390, height: 844 })
    await panel.scrollIntoViewIfNeeded()
    const button = panel.getByRole('button', { name: 'Resume sending' })
    expect((await button.boundingBox())!.width).toBeLessThanOrEqual(390)
    await page.screenshot({ path: screenshotPath('health-panel-paused-390'), fullPage: true })
    await panel.screenshot({ path: screenshotPath('health-panel-only-paused-390') })

    await button.click()
    await eventually(async () => ((await panel.getByRole('alert').count()) === 0 ? true : undefined), 15_000, 200)
    await eventually(async () => ((await textsReceived(DAVE)).length === 1 ? true : undefined), 20_000)
    expect(await instanceRow()).toMatchObject({ status_code: 'open', send_pause_reason: null })
    await page.screenshot({ path: screenshotPath('health-panel-resumed-390'), fullPage: true })
    await panel.screenshot({ path: screenshotPath('health-panel-only-resumed-390') })
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.screenshot({ path: screenshotPath('health-panel-resumed-1280'), fullPage: true })
    await context.close()
  })
})

describe('the undelivered share', () => {
  it('half or more of the last day\'s sends left at one tick pause it (checked once a minute)', async () => {
    // Twenty sends of two hours ago that never got past one tick, on an instance never resumed.
    const [instance] = await sql`select id, user_id from instances where name = 'shop'`
    await sql`update instances set send_resumed_at = null where id = ${instance.id}`
    for (let i = 0; i < 20; i++) {
      await sql`
        insert into messages (instance_id, user_id, wa_id, remote_jid, from_me, via_api, message_type, message, message_timestamp, status, sent_at, created_at)
        values (${instance.id}, ${instance.user_id}, ${`3EB0UNDELIVERED${String(i).padStart(4, '0')}`}, ${`${DAVE}@s.whatsapp.net`}, true, true, 'conversation',
                ${sql.json({ conversation: 'nobody got this' })}, extract(epoch from now())::bigint - 7200, 'SERVER_ACK', now() - interval '2 hours', now() - interval '2 hours')`
    }
    const paused = await eventually(async () => {
      const row = await instanceRow()
      return row.send_pause_reason === 'undelivered' ? row : undefined
    }, 75_000, 500)
    expect(paused.status_code).toBe('send_paused')
    expect((await healthEvents()).at(-1)).toMatchObject({ state: 'paused', reason: 'undelivered' })
    expect((await resume()).body).toMatchObject({ resumed: true, statusCode: 'open' })
  }, 90_000)
})
