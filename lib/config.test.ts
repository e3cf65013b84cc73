// Configuration is read in one place, and the logger's part of it works before the rest exists:
// the launcher imports lib/log.ts before it has started Postgres or generated secrets.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { projectRoot } from '@/lib/runtime/paths'

/** Runs `code` in a fresh Node process (as the launcher runs: tsx, react-server) with exactly `env`. */
function runWithEnvironment(code: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: projectRoot,
    // Exactly these variables: nothing inherited from the test process (which has DATABASE_URL).
    env: { PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv,
    encoding: 'utf8',
    timeout: 20_000,
  })
}

describe('lib/config', () => {
  it('lets the logger start without DATABASE_URL, with the level and service from the environment', () => {
    const result = runWithEnvironment(
      `const { log } = await import('./lib/log.ts'); log.info({ step: 'boot' }, 'hello'); log.debug('hidden')`,
      { LOG_LEVEL: 'info', SAGE_SERVICE: 'worker' },
    )
    expect(result.stderr).toBe('')
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ service: 'worker', step: 'boot', msg: 'hello' })
  })

  it('still refuses the full configuration without DATABASE_URL, naming it', () => {
    const result = runWithEnvironment(
      `const { config, loggingConfig } = await import('./lib/config.ts')
       console.log(JSON.stringify(loggingConfig()))
       try { config() } catch (error) { console.log(error.message) }`,
      {},
    )
    const [logging, refusal] = result.stdout.trim().split('\n')
    expect(JSON.parse(logging)).toEqual({ LOG_LEVEL: 'info', SAGE_SERVICE: 'web' })
    expect(refusal).toMatch(/^Invalid configuration: DATABASE_URL: /)
  })

  it('refuses an unknown log level with a message that names the variable', () => {
    const result = runWithEnvironment(`const { loggingConfig } = await import('./lib/config.ts'); try { loggingConfig() } catch (error) { console.log(error.message) }`, {
      LOG_LEVEL: 'loud',
    })
    expect(result.stdout.trim()).toMatch(/^Invalid configuration: LOG_LEVEL: /)
  })

  it('sizes the database pool by process role (web 10, worker 6) unless DATABASE_POOL_SIZE says otherwise', () => {
    const poolSize = (env: Record<string, string>) =>
      runWithEnvironment(`const { config } = await import('./lib/config.ts'); console.log(config().DATABASE_POOL_SIZE)`, {
        DATABASE_URL: 'postgres://127.0.0.1/none',
        ...env,
      }).stdout.trim()
    expect(poolSize({ SAGE_SERVICE: 'web' })).toBe('10')
    expect(poolSize({ SAGE_SERVICE: 'worker' })).toBe('6')
    expect(poolSize({ SAGE_SERVICE: 'worker', DATABASE_POOL_SIZE: '3' })).toBe('3')
    expect(poolSize({})).toBe('10')
  })

  it('takes a WhatsApp Web version to pin in WA_VERSION, and refuses a malformed one naming the variable', () => {
    const outcome = (value: string) =>
      runWithEnvironment(`const { config } = await import('./lib/config.ts'); try { console.log(JSON.stringify(config().WA_VERSION ?? null)) } catch (error) { console.log(error.message) }`, {
        DATABASE_URL: 'postgres://127.0.0.1/none',
        WA_VERSION: value,
      }).stdout.trim()
    expect(outcome('2.3000.1023456789')).toBe('"2.3000.1023456789"')
    expect(outcome('')).toBe('null')
    for (const bad of ['2.3000', '2.3000.abc', 'v2.3000.1', '2.3000.1.4', ' 2.3000.1']) {
      expect(outcome(bad)).toBe('Invalid configuration: WA_VERSION: must be a WhatsApp Web version: three dot-separated numbers, like 2.3000.1023456789')
    }
    expect(outcome('2.3000.9999999999')).toBe('Invalid configuration: WA_VERSION: each of its three numbers must be below 4294967296')
  })

  it('refuses a WA_VERSION_URL that is not a URL, naming the variable', () => {
    const result = runWithEnvironment(`const { config } = await import('./lib/config.ts'); try { config() } catch (error) { console.log(error.message) }`, {
      DATABASE_URL: 'postgres://127.0.0.1/none',
      WA_VERSION_URL: 'versions.example',
    })
    expect(result.stdout.trim()).toBe('Invalid configuration: WA_VERSION_URL: must be an absolute http(s) URL')
  })
})
