import { requireOption, UsageError, type Command } from './command'
import { accountByEmail } from './account-lookup'

const list = (value: string | boolean | undefined) =>
  typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : undefined

export const keyCreateCommand: Command = {
  name: 'key:create',
  usage: 'sage key:create --email E [--name N] [--scope instance|account] [--rate-limit PER_MINUTE] [--instances a,b] [--cidr 10.0.0.0/8,2001:db8::/32]',
  summary: 'Mint an API key; the plaintext is printed once, alone on the last line.',
  needsDatabase: true,
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    scope: { type: 'string' },
    'rate-limit': { type: 'string' },
    instances: { type: 'string' },
    cidr: { type: 'string' },
  },
  run: async (values, output) => {
    const { createApiKey } = await import('@/lib/services/keys/keys')
    const account = await accountByEmail(requireOption(values, 'email', keyCreateCommand.usage))
    const rateLimit = values['rate-limit']
    if (rateLimit !== undefined && !/^\d+$/.test(String(rateLimit))) throw new UsageError('--rate-limit must be a whole number of requests per minute')
    const scope = values.scope ?? 'instance'
    if (scope !== 'instance' && scope !== 'account') throw new UsageError('--scope must be "instance" or "account"')
    const { key, plaintext } = await createApiKey(account, {
      name: typeof values.name === 'string' ? values.name : undefined,
      scope,
      rateLimit: rateLimit === undefined ? undefined : Number(rateLimit),
      instances: list(values.instances),
      cidrs: list(values.cidr),
    })
    output.info(`Created ${key.scope} key "${key.name}" (${key.prefix}…), ${key.rateLimit} requests/minute. Store it now: it is not shown again.`)
    output.secret(plaintext)
  },
}

export const keyListCommand: Command = {
  name: 'key:list',
  usage: 'sage key:list --email E',
  summary: "List an account's active API keys (prefix, name, limit, last use).",
  needsDatabase: true,
  options: { email: { type: 'string' } },
  run: async (values, output) => {
    const { listApiKeys } = await import('@/lib/services/keys/keys')
    const account = await accountByEmail(requireOption(values, 'email', keyListCommand.usage))
    const keys = await listApiKeys(account)
    if (keys.length === 0) return output.info('No active keys.')
    output.info(['PREFIX', 'NAME', 'SCOPE', 'RATE/MIN', 'INSTANCES', 'CIDRS', 'LAST USED'].join('\t'))
    for (const key of keys) {
      output.info(
        [key.prefix, key.name, key.scope, key.rateLimit, key.instances.join(',') || 'all', key.cidrs.join(',') || 'any', key.lastUsedAt ?? 'never'].join('\t'),
      )
    }
  },
}

export const keyRevokeCommand: Command = {
  name: 'key:revoke',
  usage: 'sage key:revoke --email E --prefix P',
  summary: 'Revoke a key by its display prefix; it stops working within a second.',
  needsDatabase: true,
  options: { email: { type: 'string' }, prefix: { type: 'string' } },
  run: async (values, output) => {
    const { revokeApiKey } = await import('@/lib/services/keys/keys')
    const account = await accountByEmail(requireOption(values, 'email', keyRevokeCommand.usage))
    const prefix = requireOption(values, 'prefix', keyRevokeCommand.usage).replace(/…$/, '')
    const key = await revokeApiKey(account, { prefix })
    output.info(`Revoked key "${key.name}" (${key.prefix}…).`)
  },
}
