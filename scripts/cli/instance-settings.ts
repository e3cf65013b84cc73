// sage instance:settings and instance:proxy: the same services and validation as the API.
import { requireOption, UsageError, type Command } from './command'
import { accountByEmail } from './account-lookup'
import { describeErrors } from './accounts'

/** CLI flag → the API's field (lib/api/schemas/instance-settings.ts). */
const SWITCHES = {
  'reject-calls': 'rejectCall',
  'ignore-groups': 'groupsIgnore',
  'ignore-status': 'statusIgnore',
  'ignore-channels': 'channelsIgnore',
  'always-online': 'alwaysOnline',
  'read-messages': 'readMessages',
  'read-status': 'readStatus',
  'full-history': 'syncFullHistory',
} as const

function onOff(flag: string, value: string): boolean {
  if (value === 'on' || value === 'true') return true
  if (value === 'off' || value === 'false') return false
  throw new UsageError(`--${flag} takes on or off, not "${value}".`)
}

async function instanceOf(values: Record<string, string | boolean | undefined>, usage: string) {
  const { userId } = await accountByEmail(requireOption(values, 'email', usage))
  const name = requireOption(values, 'name', usage)
  const { findByName } = await import('@/lib/store/instances')
  const instance = await findByName(userId, name)
  if (!instance) throw new UsageError(`instance_not_found: no instance named "${name}" in that account.`)
  return { id: instance.id, name: instance.name }
}

const settingsUsage = `sage instance:settings --email E --name N [${Object.keys(SWITCHES).map((flag) => `--${flag} on|off`).join('] [')}] [--call-reply TEXT] [--send-policy JSON]`
export const instanceSettingsCommand: Command = {
  name: 'instance:settings',
  usage: settingsUsage,
  summary: 'Show an instance’s settings, or change the ones given (an empty --call-reply removes the text).',
  needsDatabase: true,
  options: { email: { type: 'string' }, name: { type: 'string' }, 'call-reply': { type: 'string' }, 'send-policy': { type: 'string' }, ...Object.fromEntries(Object.keys(SWITCHES).map((flag) => [flag, { type: 'string' as const }])) },
  run: async (values, output) => {
    const instance = await instanceOf(values, settingsUsage)
    const change: Record<string, unknown> = {}
    for (const [flag, field] of Object.entries(SWITCHES)) if (typeof values[flag] === 'string') change[field] = onOff(flag, values[flag] as string)
    if (typeof values['call-reply'] === 'string') change.msgCall = values['call-reply']
    // The send policy as the API takes it, e.g. '{"minGapMs":3000,"newChatsPerDay":20}' (fields left out keep their values).
    if (typeof values['send-policy'] === 'string') {
      try {
        change.sendPolicy = JSON.parse(values['send-policy'] as string)
      } catch {
        throw new UsageError(`--send-policy takes JSON, e.g. '{"minGapMs":3000,"newChatsPerDay":20}'.`)
      }
    }
    const { getSettings, changeSettings } = await import('@/lib/services/instances/settings')
    const settings = Object.keys(change).length
      ? await describeErrors(async () => {
          const { SetSettingsBody } = await import('@/lib/api/schemas/instance-settings')
          const { parseWith } = await import('@/lib/api/validation')
          const { wavoipToken: _unused, ...parsed } = parseWith(SetSettingsBody, change, 'body')
          return changeSettings(instance, parsed)
        })
      : await getSettings(instance)
    for (const [flag, field] of Object.entries(SWITCHES)) output.info(`${flag}\t${settings[field] ? 'on' : 'off'}`)
    output.info(`call-reply\t${settings.msgCall ?? ''}`)
    output.info(`send-policy\t${JSON.stringify(settings.sendPolicy)}`)
  },
}

const proxyUsage = 'sage instance:proxy --email E --name N [--url http|https|socks5://[USER[:PASSWORD]@]HOST:PORT | --off]'
export const instanceProxyCommand: Command = {
  name: 'instance:proxy',
  usage: proxyUsage,
  summary: 'Show an instance’s proxy (never its password), set it from a URL, or remove it with --off.',
  needsDatabase: true,
  options: { email: { type: 'string' }, name: { type: 'string' }, url: { type: 'string' }, off: { type: 'boolean' } },
  run: async (values, output) => {
    const instance = await instanceOf(values, proxyUsage)
    if (values.off && values.url) throw new UsageError(`Give --url or --off, not both. Usage: ${proxyUsage}`)
    const { getProxy, changeProxy } = await import('@/lib/services/instances/settings')
    let proxy
    if (values.off) proxy = await describeErrors(() => changeProxy(instance, { enabled: false }))
    else if (typeof values.url === 'string') {
      const body = proxyBody(values.url)
      proxy = await describeErrors(async () => {
        const { SetProxyBody } = await import('@/lib/api/schemas/instance-settings')
        const { parseWith } = await import('@/lib/api/validation')
        return changeProxy(instance, parseWith(SetProxyBody, body, 'body'))
      })
    } else proxy = await getProxy(instance)
    if (!proxy.enabled) return output.info('No proxy: WhatsApp is reached directly.')
    output.info(`${proxy.protocol}://${proxy.username ? `${proxy.username}${proxy.hasPassword ? ':***' : ''}@` : ''}${proxy.host}:${proxy.port}`)
  },
}

/** A proxy URL as the API's body; its parts are validated by the same schema as the API's. */
function proxyBody(value: string): Record<string, unknown> {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--url must look like socks5://user:password@host:1080. Usage: ${proxyUsage}`)
  }
  if (url.pathname.replace(/^\/$/, '') || url.search || url.hash) throw new UsageError('--url takes no path, query or fragment.')
  return {
    enabled: true,
    protocol: url.protocol.replace(/:$/, ''),
    host: url.hostname,
    port: url.port || undefined,
    username: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : null,
  }
}
