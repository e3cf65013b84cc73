import 'server-only'
import { toErrorCode, type ErrorCode } from '@/lib/api/errors'
import { CHANNELS } from '@/lib/bus/channels'
import { notify } from '@/lib/bus/listener'
import { sqlClient } from './sql'
import { heldByLiveWorker } from './workers'

/**
 * The `instance_commands` table, the web → worker outbox. State rules kept here: pending → running
 * (claimed only by the worker holding the instance, in `seq` order) → done | failed; a pending
 * command may be cancelled by a caller that stopped waiting, a running one never is; a running
 * command left by a dead owner goes back to pending for the next owner.
 */
export type CommandType = 'restart' | 'logout' | 'apply_settings' | 'resume_sending' | 'request_pairing_code' | 'send_message' | 'check_numbers' | 'mark_read' | 'download_media' | 'group' | 'update_block_status' | 'fetch_blocklist' | 'fetch_profile' | 'edit_message' | 'revoke_message' | 'send_presence' | 'subscribe_presence' | 'update_profile' | 'modify_chat'
export type CommandStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled'

export type Command = {
  id: string
  type: CommandType
  payload: Record<string, unknown>
  status: CommandStatus
  result: unknown
  error: { code: ErrorCode; message: string | null } | null
}

export type CommandOutcome = { status: 'done'; result: unknown } | { status: 'failed'; code: ErrorCode; message: string }

function toCommand(row: Record<string, unknown>): Command {
  return {
    id: row.id as string,
    type: row.type as CommandType,
    payload: (row.payload as Record<string, unknown> | null) ?? {},
    status: row.status as CommandStatus,
    result: row.result ?? null,
    error: row.error_code ? { code: toErrorCode(row.error_code), message: (row.error_message as string | null) ?? null } : null,
  }
}

/** Writes a command for the instance's owner and wakes the workers. */
export async function enqueueCommand(instanceId: string, type: CommandType, payload: unknown = {}): Promise<string> {
  const sql = sqlClient()
  const [row] = await sql`insert into instance_commands (instance_id, type, payload) values (${instanceId}, ${type}, ${sql.json(payload as never)}) returning id`
  await notify(CHANNELS.work, instanceId)
  return row.id
}

export async function readCommand(id: string): Promise<Command> {
  const [row] = await sqlClient()`select id, type, payload, status, result, error_code, error_message from instance_commands where id = ${id}`
  return toCommand(row)
}

/** Cancels the command only if no worker has started it; true when it was cancelled. */
export async function cancelIfPending(id: string): Promise<boolean> {
  const rows = await sqlClient()`update instance_commands set status = 'cancelled', finished_at = now() where id = ${id} and status = 'pending' returning id`
  return rows.length > 0
}

/** The instance's oldest pending command, claimed only while `workerId` holds the instance. */
export async function claimNextCommand(instanceId: string, workerId: string): Promise<Command | undefined> {
  const sql = sqlClient()
  const [row] = await sql`
    update instance_commands set status = 'running', started_at = now()
    where id = (
      select c.id from instance_commands c
      join instances i on i.id = c.instance_id and i.worker_id = ${workerId} and ${heldByLiveWorker(sql, 'i.worker_id')}
      where c.instance_id = ${instanceId} and c.status = 'pending'
      order by c.seq limit 1
      for update of c skip locked)
    returning id, type, payload, status, result, error_code, error_message`
  return row ? toCommand(row) : undefined
}

export async function finishCommand(id: string, outcome: CommandOutcome): Promise<void> {
  const sql = sqlClient()
  if (outcome.status === 'done') {
    await sql`update instance_commands set status = 'done', result = ${sql.json(outcome.result as never)}, finished_at = now() where id = ${id}`
  } else {
    await sql`
      update instance_commands set status = 'failed', error_code = ${outcome.code}, error_message = ${outcome.message}, finished_at = now()
      where id = ${id}`
  }
  await notify(CHANNELS.commandDone, id)
}

/** Commands a dead owner left running go back to pending (handlers are written to be safe to repeat). */
export async function requeueInterrupted(instanceId: string): Promise<void> {
  await sqlClient()`update instance_commands set status = 'pending', started_at = null where instance_id = ${instanceId} and status = 'running'`
}

/** Metrics: commands waiting for or held by a worker. */
export async function countOpenCommands(): Promise<number> {
  const [row] = await sqlClient()`select count(*)::int as n from instance_commands where status in ('pending', 'running')`
  return row.n as number
}
