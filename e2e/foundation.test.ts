// The skeleton as a user meets it: status, the error format on real routes, worker liveness, landing page.
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from './support/database'
import { eventually } from '@/test-support/eventually'
import { startStack } from './support/stack'
import { launchBrowser, screenshotPath } from './support/browser'
import { freePort } from '@/lib/runtime/embedded-postgres'
import { spawnWeb, stopChild, waitForHttp } from '@/lib/runtime/processes'
import { testEnvironment } from '@/test-support/stack'

const database = await useTestDatabase()
const stack = await startStack({ databaseUrl: database.url })

async function status() {
  const response = await fetch(`${stack.baseUrl}/api/v1/status`)
  expect(response.status).toBe(200)
  return (await response.json()) as { status: string; checks: Record<string, { status: string; alive?: number }>; version: string }
}

describe('GET /api/v1/status', () => {
  it('reports ok with the database and one live worker', async () => {
    const body = await eventually(async () => {
      const current = await status()
      return current.status === 'ok' ? current : undefined
    })
    expect(body.checks.database.status).toBe('ok')
    expect(body.checks.workers).toMatchObject({ status: 'ok', alive: 1 })
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('turns degraded when the worker dies, and ok again when one starts', async () => {
    const [worker] = stack.workers
    worker.kill('SIGKILL')
    const degraded = await eventually(async () => {
      const current = await status()
      return current.status === 'degraded' ? current : undefined
    }, 20_000, 250)
    expect(degraded.checks.workers.alive).toBe(0)

    stack.startWorker()
    await eventually(async () => ((await status()).status === 'ok' ? true : undefined), 20_000, 250)
  })

  it('records a clean stop on SIGTERM (no waiting for the heartbeat to expire)', async () => {
    const worker = stack.startWorker()
    await eventually(async () => ((await status()).checks.workers.alive === 2 ? true : undefined), 20_000, 250)
    const exitCode = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)))
    worker.kill('SIGTERM')
    expect(await exitCode).toBe(0)
    expect((await status()).checks.workers.alive).toBe(1)
  })

  it('still answers 200 with status down when the database is unreachable', async () => {
    const port = await freePort()
    const unusedPort = await freePort()
    const web = spawnWeb(testEnvironment(`postgres://nobody@127.0.0.1:${unusedPort}/none`), port, 'pipe')
    try {
      const response = await waitForHttp(`http://127.0.0.1:${port}/api/v1/status`, 30_000, () => true)
      expect(response.status).toBe(200)
      const body = await response.json()
      expect(body.status).toBe('down')
      expect(body.checks.database.status).toBe('down')
    } finally {
      await stopChild(web)
    }
  })
})

describe('the JSON error format on real routes', () => {
  it('answers an unknown /api route with 404 not_found and a request id', async () => {
    for (const method of ['GET', 'POST', 'DELETE']) {
      const response = await fetch(`${stack.baseUrl}/api/v1/does-not-exist/here`, { method })
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toContain('application/json')
      const body = await response.json()
      expect(body.error).toBe('not_found')
      expect(body.requestId).toBe(response.headers.get('x-request-id'))
    }
  })

  it('answers a wrong method with 405 method_not_allowed', async () => {
    const response = await fetch(`${stack.baseUrl}/api/v1/status`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET')
    expect((await response.json()).error).toBe('method_not_allowed')
  })
})

describe('landing page', () => {
  it('renders in a real browser at desktop and phone widths', async () => {
    const browser = await launchBrowser()
    for (const [name, viewport] of [
      ['landing-desktop', { width: 1280, height: 800 }],
      ['landing-phone', { width: 390, height: 844 }],
    ] as const) {
      const page = await browser.newPage({ viewport })
      const response = await page.goto(stack.baseUrl)
      expect(response?.status()).toBe(200)
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('WhatsApp')
      await expect(page.getByRole('link', { name: 'Get started' }).getAttribute('href')).resolves.toBe('/signup')
      await page.screenshot({ path: screenshotPath(name), fullPage: true })
      await page.close()
    }
  })
})
