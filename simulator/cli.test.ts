import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startSimulatorProcess } from '@/test-support/simulator'

describe('CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wa-sim-cli-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('prints one JSON line with its URLs and root key, serves the control API and stops on SIGTERM', async () => {
    // The way `npm run simulator` and the benchmarks start it: simulator/main.ts in a process of its own.
    const sim = await startSimulatorProcess({ dataDir, readyTimeoutMs: 15_000 })
    try {
      const info = sim.announced
      expect(info.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws\/chat$/)
      expect(info.rootPublicKeyHex).toMatch(/^[0-9a-f]{64}$/)
      expect(info.mediaCaPath).toContain(dataDir)
      const health = await (await fetch(`${info.controlUrl}/health`)).json()
      expect(health).toEqual({ ok: true })
    } finally {
      const exited = new Promise<number | null>((r) => sim.child.once('exit', (code) => r(code)))
      sim.child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
  }, 30_000)
})
