import { requireOption, type Command } from './command'
import { accountByEmail } from './account-lookup'

const list = (value: string | boolean | undefined) =>
  typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : undefined

export const webhookCreateCommand: Command = {
  name: 'webhook:create',
  usage: 'sage webhook:create --email E --url U [--events MESSAGES_UPSERT,CONNECTION_UPDATE] [--instance N]',
  summary: 'Add a webhook endpoint; its signing secret is printed once, alone on the last line.',
  needsDatabase: true,
  options: { email: { type: 'string' }, url: { type: 'string' }, events: { type: 'string' }, instance: { type: 'string' } },
  run: async (values, output) => {
    const { createWebhookEndpoint } = await import('@/lib/services/webhooks/endpoints')
    const account = await accountByEmail(requireOption(values, 'email', webhookCreateCommand.usage))
    const endpoint = await createWebhookEndpoint({
      ctx: account,
      input: {
        url: requireOption(values, 'url', webhookCreateCommand.usage),
        events: list(values.events) as never,
        instance: typeof values.instance === 'string' ? values.instance : undefined,
      },
    })
    output.info(`Created webhook ${endpoint.id} → ${endpoint.url}`)
    output.info(`Events: ${endpoint.events.join(', ')}${endpoint.instance ? ` (instance ${endpoint.instance} only)` : ' (every instance)'}`)
    output.info('Signing secret (store it now: the API does not show it again):')
    output.secret(endpoint.secret)
  },
}
