// Talking to a running stack the way an integration does: an API key, the data plane, a paired instance.
import { spawnSync } from 'node:child_process'
import { expect } from 'vitest'
import type { Stack } from './stack'
import type { TestSimulator } from './simulator'
import { eventually } from './stack'

export function mintKey(stack: Stack, email: string, ...options: string[]): string {
  const result = spawnSync(process.execPath, ['bin/sage.mjs', 'key:create', '--email', email, ...options], {
    env: stack.env as unknown as NodeJS.ProcessEnv,
    encoding: 'utf8',
  })
  expect(result.status, result.stderr).toBe(0)
  return result.stdout.trim().split('\n').at(-1)!
}

export type Api = (path: string, init?: RequestInit) => Promise<{ status: number; body: any; headers: Headers }>

export function dataPlane(stack: Stack, apiKey: string): Api {
  return async (path, init = {}) => {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${apiKey}`)
    if (typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json')
    const response = await fetch(`${stack.baseUrl}/api/v1/instance/${path}`, { ...init, headers })
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {}
    return { status: response.status, body, headers: response.headers }
  }
}

/** Connect → the simulated phone scans the QR → open. */
export async function pairInstance(api: Api, sim: TestSimulator, name: string, phone: string): Promise<void> {
  const connect = await api(`${name}/connect`)
  expect(connect.status, JSON.stringify(connect.body)).toBe(200)
  await sim.client.scanQr(connect.body.code, phone)
  await eventually(async () => ((await api(`${name}/connectionState`)).body.instance?.state === 'open' ? true : undefined), 30_000, 200)
}
