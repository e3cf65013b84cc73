// `npm test` starts with scripts/check-chromium.mjs: without Chromium it stops at once with one line
// saying how to get it, before the type-check and the suite.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectRoot } from '@/lib/runtime/paths'

const SCRIPT = path.join(projectRoot, 'scripts/check-chromium.mjs')

function check(env: Record<string, string>) {
  const startedAt = performance.now()
  const result = spawnSync(process.execPath, [SCRIPT], { env: env as unknown as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 10_000 })
  return { ...result, ms: performance.now() - startedAt }
}

describe('the Chromium preflight of npm test', () => {
  it('stops at once with one line naming the install command and CHROMIUM_PATH when the browser is not there', () => {
    const result = check({ PATH: '/nonexistent', CHROMIUM_PATH: '/nonexistent/chromium' })
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('apt-get install -y chromium')
    expect(lines[0]).toContain('CHROMIUM_PATH=/nonexistent/chromium is not an executable file')
    expect(result.ms).toBeLessThan(5_000)
  })

  it('refuses a CHROMIUM_PATH that is a directory or not executable', () => {
    expect(check({ CHROMIUM_PATH: projectRoot }).status).toBe(1)
    expect(check({ CHROMIUM_PATH: path.join(projectRoot, 'package.json') }).status).toBe(1)
  })

  it('passes silently when CHROMIUM_PATH points at an executable', () => {
    const result = check({ PATH: '/nonexistent', CHROMIUM_PATH: process.execPath })
    expect(result.status).toBe(0)
    expect(result.stdout + result.stderr).toBe('')
  })

  it('runs before anything else in the test script', () => {
    const { scripts } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'))
    expect(scripts.test).toMatch(/^node scripts\/check-chromium\.mjs && /)
  })
})
