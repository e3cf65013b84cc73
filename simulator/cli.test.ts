import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'

describe('CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wa-sim-cli-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('prints one JSON line with its URLs and root key, serves the control API and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts'), '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no output from CLI within 15 s')), 15_000)
        createInterface({ input: child.stdout! }).once('line', (l) => {
          clearTimeout(timer)
          resolve(l)
        })
        child.once('exit', (code) => reject(new Error(`CLI exited early with ${code}`)))
      })
      const info = JSON.parse(line)
      expect(info.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws\/chat$/)
      expect(info.rootPublicKeyHex).toMatch(/^[0-9a-f]{64}$/)
      expect(info.mediaCaPath).toContain(dataDir)
      const health = await (await fetch(`${info.controlUrl}/health`)).json()
      expect(health).toEqual({ ok: true })
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
  }, 30_000)
})
