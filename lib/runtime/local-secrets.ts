import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'

type LocalSecrets = { AUTH_SECRET: string; SAGE_ENCRYPTION_KEY: string }

/**
 * For a local run without configuration: AUTH_SECRET and SAGE_ENCRYPTION_KEY are generated once and
 * kept in .data/secrets.json (mode 0600). Production must provide them; generating there is refused,
 * since a lost file would mean lost sessions and unreadable credentials.
 */
export function applyLocalSecrets(dataDir: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.AUTH_SECRET && env.SAGE_ENCRYPTION_KEY) return
  if (env.NODE_ENV === 'production' || env.SAGE_ENV === 'production') {
    throw new Error('AUTH_SECRET and SAGE_ENCRYPTION_KEY must be set in production (they are only generated for local runs).')
  }
  const file = path.join(dataDir, 'secrets.json')
  let secrets: Partial<LocalSecrets> = {}
  if (fs.existsSync(file)) secrets = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LocalSecrets>
  const complete: LocalSecrets = {
    AUTH_SECRET: secrets.AUTH_SECRET ?? randomBytes(32).toString('base64url'),
    SAGE_ENCRYPTION_KEY: secrets.SAGE_ENCRYPTION_KEY ?? randomBytes(32).toString('hex'),
  }
  if (secrets.AUTH_SECRET !== complete.AUTH_SECRET || secrets.SAGE_ENCRYPTION_KEY !== complete.SAGE_ENCRYPTION_KEY) {
    fs.mkdirSync(dataDir, { recursive: true })
    fs.writeFileSync(file, JSON.stringify(complete, null, 2), { mode: 0o600 })
  }
  env.AUTH_SECRET ??= complete.AUTH_SECRET
  env.SAGE_ENCRYPTION_KEY ??= complete.SAGE_ENCRYPTION_KEY
}
