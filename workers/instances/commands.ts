// Runs the command outbox of the instances this worker holds: one queue per instance, in order.
import { sqlClient } from '@/lib/db'
import type { Logger } from '@/lib/log'
import { CHANNELS } from '@/lib/bus/channels'
import type { InstanceSession } from '@/workers/whatsapp/session'
import { SerialDrains } from './serial'

/** A handler's failure that the API reports with a specific error code (e.g. instance_not_connected). */
export class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

export type CommandContext = { session: InstanceSession; payload: Record<string, unknown>; commandId: string; log: Logger }
export type CommandHandler = (context: CommandContext) => Promise<unknown>

type CommandRow = { id: string; type: string; payload: Record<string, unknown> }

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
      const command = await this.claimNext(instanceId)
      if (!command) return
      await this.execute(session, command)
    }
  }

  /** The oldest pending command, claimed only while this worker holds the instance. */
  private async claimNext(instanceId: string): Promise<CommandRow | undefined> {
    const [row] = await sqlClient()`
      update instance_commands set status = 'running', started_at = now()
      where id = (
        select c.id from instance_commands c
        join instances i on i.id = c.instance_id and i.worker_id = ${this.options.workerId}
        where c.instance_id = ${instanceId} and c.status = 'pending'
        order by c.seq limit 1
        for update of c skip locked)
      returning id, type, payload`
    return row as CommandRow | undefined
  }

  private async execute(session: InstanceSession, command: CommandRow): Promise<void> {
    const handler = this.options.handlers[command.type]
    const log = this.options.log.child({ commandId: command.id, type: command.type, instance: session.instance.name })
    let outcome: { status: 'done'; result: unknown } | { status: 'failed'; code: string; message: string }
    try {
      if (!handler) throw new CommandError('internal_error', `Unknown command type ${command.type}`)
      outcome = { status: 'done', result: (await handler({ session, payload: command.payload ?? {}, commandId: command.id, log })) ?? null }
    } catch (error) {
      const code = error instanceof CommandError ? error.code : 'whatsapp_error'
      const message = error instanceof Error ? error.message : String(error)
      if (!(error instanceof CommandError)) log.warn({ err: error }, 'command failed')
      outcome = { status: 'failed', code, message }
    }
    await this.finish(command.id, outcome)
  }

  async finish(commandId: string, outcome: { status: 'done'; result: unknown } | { status: 'failed'; code: string; message: string }): Promise<void> {
    const sql = sqlClient()
    if (outcome.status === 'done') {
      await sql`update instance_commands set status = 'done', result = ${sql.json(outcome.result as never)}, finished_at = now() where id = ${commandId}`
    } else {
      await sql`
        update instance_commands set status = 'failed', error_code = ${outcome.code}, error_message = ${outcome.message}, finished_at = now()
        where id = ${commandId}`
    }
    await sql`select pg_notify(${CHANNELS.commandDone}, ${commandId})`
  }

  /** Commands a dead owner left running: they run again here (handlers are written to be safe to repeat). */
  async requeueInterrupted(instanceId: string): Promise<void> {
    await sqlClient()`update instance_commands set status = 'pending', started_at = null where instance_id = ${instanceId} and status = 'running'`
  }

  idle(): Promise<void> {
    return this.drains.idle()
  }
}
