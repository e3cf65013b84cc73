// The instance page's settings and proxy forms in a real browser: saving switches and the call
// reply (kept across a reload), field errors for a bad port and a private proxy host, and the
// proxy password never shown. No worker: the settings are saved and read at the next connect.
import { afterAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { hashPassword } from '@/lib/auth/password'
import { useTestDatabase } from './support/database'
import { startStack } from './support/stack'
import { launchBrowser } from './support/browser'
import { logIn, see } from './support/accounts'

const PASSWORD = 'settings page passphrase'
const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url, workers: 0, readyTimeoutMs: 180_000 })
const browser = await launchBrowser()
const sql = postgres(database.url, { max: 2, onnotice: () => {} })
afterAll(() => sql.end({ timeout: 5 }))

const email = 'settings-page@example.com'
const [user] = await sql`insert into users (email, password_hash, email_verified_at) values (${email}, ${await hashPassword(PASSWORD)}, now()) returning id`
await sql`insert into instances (user_id, name) values (${user.id}, 'acme-settings')`
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
const page = await context.newPage()
await logIn(page, stack.baseUrl, email, PASSWORD)

async function saved() {
  const [row] = await sql`select s.* from instance_settings s join instances i on i.id = s.instance_id where i.name = 'acme-settings'`
  return row
}

describe('the settings form', () => {
  it('saves the switches and the call reply, and shows them after a reload', async () => {
    await page.goto(`${stack.baseUrl}/instances/acme-settings`)
    await page.getByLabel('Reject calls').check()
    await page.getByLabel('Ignore groups').check()
    await page.getByLabel('Reply to rejected calls').fill('We do not take calls; please write.')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await see(page, 'Settings saved.')
    expect(await saved()).toMatchObject({ reject_calls: true, ignore_groups: true, call_reply_text: 'We do not take calls; please write.', ignore_status: true })
    await page.reload()
    expect(await page.getByLabel('Reject calls').isChecked()).toBe(true)
    expect(await page.getByLabel('Ignore status updates').isChecked()).toBe(true)
    expect(await page.getByLabel('Always online').isChecked()).toBe(false)
    expect(await page.getByLabel('Reply to rejected calls').inputValue()).toBe('We do not take calls; please write.')
  }, 90_000)
})

describe('the proxy form', () => {
  it('shows field errors for a bad port and a private host, and saves nothing', async () => {
    await page.goto(`${stack.baseUrl}/instances/acme-settings`)
    await page.getByLabel('Host').fill('proxy.example.com')
    await page.getByLabel('Port').fill('99999')
    await page.getByRole('button', { name: 'Save proxy' }).click()
    await see(page, 'A port number from 1 to 65535')
    expect(await page.getByLabel('Host').inputValue()).toBe('proxy.example.com')
    await page.getByLabel('Host').fill('10.0.0.8')
    await page.getByLabel('Port').fill('3128')
    await page.getByRole('button', { name: 'Save proxy' }).click()
    await see(page, 'proxies must be on public addresses')
    expect((await saved())?.proxy_sealed ?? null).toBeNull()
    expect(await page.getByLabel('Host').getAttribute('aria-invalid')).toBe('true')
  }, 90_000)
})

describe('the send policy form', () => {
  it('saves the policy, shows it after a reload, and names a half-given quiet hours', async () => {
    await page.goto(`${stack.baseUrl}/instances/acme-settings`)
    await page.getByLabel('Quiet hours from').fill('22:00')
    await page.getByRole('button', { name: 'Save send policy' }).click()
    await see(page, 'Give both ends of the quiet hours, or neither')
    expect((await saved())?.send_policy ?? null).toBeNull()

    // The form starts from the defaults (3000 ms gap, 2000 ms jitter, 40 ms a character, 20 new chats, warm-up on).
    expect(await page.getByLabel('Minimum gap between sends').inputValue()).toBe('3000')
    await page.getByLabel('Minimum gap between sends').fill('4500')
    await page.getByLabel('New chats per day').fill('15')
    await page.getByLabel('Quiet hours from').fill('22:00')
    await page.getByLabel('Quiet hours until').fill('08:00')
    await page.getByLabel('Time zone').fill('Asia/Kolkata')
    await page.getByLabel('Warm up a new number').check()
    await page.getByRole('button', { name: 'Save send policy' }).click()
    await see(page, 'Send policy saved.')
    expect((await saved()).send_policy).toEqual({ minGapMs: 4500, jitterMs: 2000, typingMsPerChar: 40, newChatsPerDay: 15, warmUp: true, quietHours: { from: '22:00', to: '08:00' }, timeZone: 'Asia/Kolkata' })
    await page.reload()
    expect(await page.getByLabel('Minimum gap between sends').inputValue()).toBe('4500')
    expect(await page.getByLabel('New chats per day').inputValue()).toBe('15')
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Kolkata')
    expect(await page.getByLabel('Warm up a new number').isChecked()).toBe(true)
  }, 90_000)
})
