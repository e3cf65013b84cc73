// Runs the command outbox of the instances this worker holds: one queue per instance, in order.
import type { Logger } from '@/lib/log'
import type { ErrorCode } from '@/lib/api/errors'
import { claimNextCommand, finishCommand, type Command, type CommandOutcome } from '@/lib/store/commands'
import type { InstanceSession } from '@/workers/whatsapp/session'
import { SerialDrains } from './serial'

/** A handler's failure that the API reports with a specific error code (e.g. instance_not_connected). */
export class CommandError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

export type CommandContext = { session: InstanceSession; payload: Record<string, unknown>; commandId: string; log: Logger }
export type CommandHandler = (context: CommandContext) => Promise<unknown>

export class CommandRunner {
  private readonly drains: SerialDrains

  constructor(
    private readonly options: {
      workerId: string
      log: Logger
      sessionOf: (instanceId: string) => InstanceSession | undefined
      handlers: Record<string, CommandHandler>
    },
  ) {
    this.drains = new SerialDrains((error, instanceId) => options.log.error({ err: error, instanceId }, 'command queue failed'))
  }

  /** Runs the instance's pending commands in order (coalesced with a drain already running). */
  drain(instanceId: string): void {
    this.drains.request(instanceId, () => this.drainOnce(instanceId))
  }

  private async drainOnce(instanceId: string): Promise<void> {
    for (;;) {
      const session = this.options.sessionOf(instanceId)
      if (!session) return
      const command = await claimNextCommand(instanceId, this.options.workerId)
      if (!command) return
      await this.execute(session, command)
    }
  }

  private async execute(session: InstanceSession, command: Command): Promise<void> {
    const handler = this.options.handlers[command.type]
    const log = this.options.log.child({ commandId: command.id, type: command.type, instance: session.instance.name })
    let outcome: CommandOutcome
    try {
      if (!handler) throw new CommandError('internal_error', `Unknown command type ${command.type}`)
      outcome = { status: 'done', result: (await handler({ session, payload: command.payload, commandId: command.id, log })) ?? null }
    } catch (error) {
      const code = error instanceof CommandError ? error.code : 'whatsapp_error'
      const message = error instanceof Error ? error.message : String(error)
      if (!(error instanceof CommandError)) log.warn({ err: error }, 'command failed')
      outcome = { status: 'failed', code, message }
    }
    await finishCommand(command.id, outcome)
  }

  idle(): Promise<void> {
    return this.drains.idle()
  }
}
