// The operator CLI. Same services and validation as the dashboard; secrets alone on the last stdout line.
import { prepareEnvironment } from '@/lib/runtime/environment'
import { parseCommandArgs, UsageError, type Command } from './cli/command'
import { migrateCommand, statusCommand } from './cli/system'
import { accountCommands } from './cli/accounts'
import { keyCreateCommand, keyListCommand, keyRevokeCommand } from './cli/keys'
import { webhookCreateCommand } from './cli/webhooks'
import { instanceProxyCommand, instanceSettingsCommand } from './cli/instance-settings'
import { mediaMoveCommand } from './cli/media'

const commands: Command[] = [migrateCommand, statusCommand, ...accountCommands, keyCreateCommand, keyListCommand, keyRevokeCommand, webhookCreateCommand, instanceSettingsCommand, instanceProxyCommand, mediaMoveCommand]

function help(): string {
  return ['Usage: sage <command> [options]', '', ...commands.map((c) => `  ${c.usage.padEnd(70)} ${c.summary}`)].join('\n')
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === 'help') {
    console.log(help())
    return name ? 0 : 2
  }
  const command = commands.find((c) => c.name === name)
  if (!command) throw new UsageError(`Unknown command "${name}". Run "sage help" for the list.`)
  const values = parseCommandArgs(command, rest)
  process.env.LOG_LEVEL ??= 'warn'
  const environment = command.needsDatabase ? await prepareEnvironment({ database: 'reuse-or-start' }) : undefined
  try {
    let pendingSecret: string | undefined
    await command.run(values, {
      info: (line) => console.log(line),
      secret: (value) => (pendingSecret = value),
    })
    if (pendingSecret) console.log(pendingSecret)
  } finally {
    const { closeDatabase } = await import('@/lib/db')
    await closeDatabase()
    await environment?.stopDatabase()
  }
  return Number(process.exitCode ?? 0)
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    const message = error instanceof Error ? error.message : String(error)
    const details = (error as { details?: unknown }).details
    const detailText = Array.isArray(details) ? `: ${details.map((d: { field: string; message: string }) => `${d.field}: ${d.message}`).join('; ')}` : ''
    console.error(`sage: ${message.split('\n')[0]}${detailText}`)
    process.exit(error instanceof UsageError ? 2 : 1)
  },
)
