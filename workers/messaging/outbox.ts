// Sends the messages accepted by the web tier (the messages table is the outbox), per instance, in order.
import { jidNormalizedUser, proto, type AnyMessageContent, type WAMessage } from '@whiskeysockets/baileys'
import { sqlClient } from '@/lib/db'
import type { Logger } from '@/lib/log'
import { CHANNELS } from '@/lib/bus/channels'
import { recordEvent } from '@/lib/bus/events'
import type { SendContent } from '@/lib/services/messages/content'
import type { InstanceSession } from '@/workers/whatsapp/session'
import { messageToJson, upsertPayload } from '@/workers/whatsapp/events'
import { SerialDrains } from '@/workers/instances/serial'
import { fetchMediaUrl, MediaFetchError } from './media-fetch'
import { NumberDirectory } from './numbers'

type OutboxRow = {
  id: string
  wa_id: string
  remote_jid: string
  send_content: SendContent
  send_after: Date | null
  accepted_at: Date | null
  send_started_at: Date | null
}

type Failure = { code: string; message: string }

export class OutboxSender {
  private readonly drains: SerialDrains
  private readonly timers = new Map<string, NodeJS.Timeout>()
  readonly numbers = new NumberDirectory()

  constructor(
    private readonly options: { workerId: string; log: Logger; sessionOf: (instanceId: string) => InstanceSession | undefined; allowPrivateUrls: boolean },
  ) {
    this.drains = new SerialDrains((error, instanceId) => options.log.error({ err: error, instanceId }, 'outbox failed'))
  }

  drain(instanceId: string): void {
    this.drains.request(instanceId, () => this.drainOnce(instanceId))
  }

  private async drainOnce(instanceId: string): Promise<void> {
    const session = this.options.sessionOf(instanceId)
    if (!session?.isOpen) return
    // Only while we hold the instance; in accept order. A row started by a dead owner is re-sent with its id.
    const rows = (await sqlClient()`
      select m.id, m.wa_id, m.remote_jid, m.send_content, m.send_after, m.accepted_at, m.send_started_at
      from messages m join instances i on i.id = m.instance_id and i.worker_id = ${this.options.workerId}
      where m.instance_id = ${instanceId} and m.via_api and m.sent_at is null and m.status = 'PENDING'
      order by m.created_at, m.id`) as unknown as OutboxRow[]
    for (const row of rows) {
      if (!session.isOpen) return
      if (!row.accepted_at) {
        const refused = await this.accept(session, row)
        if (refused) {
          await this.fail(session, row, refused)
          continue
        }
      }
      const dueIn = row.send_after ? new Date(row.send_after).getTime() - Date.now() : 0
      if (dueIn > 0) {
        this.wakeAt(instanceId, dueIn)
        continue // a delayed message never holds up the ones behind it
      }
      await this.send(session, row)
    }
  }

  private wakeAt(instanceId: string, delayMs: number): void {
    clearTimeout(this.timers.get(instanceId))
    this.timers.set(instanceId, setTimeout(() => this.drain(instanceId), delayMs + 5))
  }

  /** Number check, media fetch and "typing…": everything that can refuse a message before it is due. */
  private async accept(session: InstanceSession, row: OutboxRow): Promise<Failure | undefined> {
    const socket = session.socket!
    if (row.remote_jid.endsWith('@s.whatsapp.net')) {
      const number = row.remote_jid.split('@')[0]
      const [found] = await this.numbers.lookup(socket, [number])
      if (!found.exists) return { code: 'not_on_whatsapp', message: `${number} has no WhatsApp account.` }
    }
    const content = row.send_content
    if (content.kind === 'media' && content.url) {
      const [stored] = await sqlClient()`select 1 from message_media where message_id = ${row.id}`
      if (!stored) {
        try {
          const fetched = await fetchMediaUrl(content.url, content.mediatype, { allowPrivate: this.options.allowPrivateUrls })
          await sqlClient()`
            insert into message_media (message_id, data, mimetype, file_name) values (${row.id}, ${fetched.data}, ${content.mimetype || fetched.mimetype}, ${content.fileName ?? fetched.fileName})
            on conflict (message_id) do nothing`
          await sqlClient()`
            update messages set media = ${sqlClient().json({ mimetype: content.mimetype || fetched.mimetype, fileName: content.fileName ?? fetched.fileName, size: fetched.data.length } as never)}
            where id = ${row.id}`
        } catch (error) {
          if (error instanceof MediaFetchError) return { code: error.code, message: error.message }
          throw error
        }
      }
    }
    if (row.send_after && new Date(row.send_after).getTime() > Date.now()) {
      await socket.sendPresenceUpdate('composing', row.remote_jid).catch(() => {})
    }
    await sqlClient()`update messages set accepted_at = now() where id = ${row.id}`
    await sqlClient()`select pg_notify(${CHANNELS.messageChanged}, ${row.id})`
    return undefined
  }

  private async send(session: InstanceSession, row: OutboxRow): Promise<void> {
    const sql = sqlClient()
    await sql`update messages set send_started_at = coalesce(send_started_at, now()) where id = ${row.id}`
    let sent: WAMessage | undefined
    try {
      const content = await this.baileysContent(row)
      const quoted = row.send_content.kind === 'text' ? await this.quotedMessage(session, row) : undefined
      sent = await session.socket!.sendMessage(row.remote_jid, content, { messageId: row.wa_id, quoted })
      if (row.send_after) await session.socket!.sendPresenceUpdate('paused', row.remote_jid).catch(() => {})
    } catch (error) {
      this.options.log.warn({ err: error, messageId: row.wa_id }, 'send failed')
      await this.fail(session, row, { code: 'whatsapp_error', message: error instanceof Error ? error.message : 'WhatsApp refused the message.' })
      return
    }
    const message = sent?.message ? messageToJson(sent.message) : undefined
    const at = new Date().toISOString()
    await sql.begin(async (tx) => {
      const [stored] = await tx`
        update messages set status = 'SERVER_ACK', sent_at = now(), updated_at = now(),
          message = coalesce(${message ? tx.json(message as never) : null}::jsonb, message),
          status_history = status_history || ${tx.json([{ status: 'SERVER_ACK', at }] as never)}
        where id = ${row.id} and status = 'PENDING'
        returning remote_jid, wa_id, push_name, message_type, message, message_timestamp, media`
      if (!stored) return
      const media = stored.media ? { media: { mimetype: stored.media.mimetype, url: `/api/v1/instance/${session.instance.name}/messages/${stored.wa_id}/media` } } : {}
      await recordEvent(
        tx,
        session.instance,
        'MESSAGES_UPSERT',
        upsertPayload(
          { remoteJid: stored.remote_jid, fromMe: true, waId: stored.wa_id, pushName: stored.push_name, messageType: stored.message_type, message: stored.message, messageTimestamp: Number(stored.message_timestamp), status: 'SERVER_ACK' },
          media,
        ),
      )
      const update = { key: { remoteJid: stored.remote_jid, fromMe: true, id: stored.wa_id }, status: 'SERVER_ACK' }
      await recordEvent(tx, session.instance, 'SEND_MESSAGE_UPDATE', update)
    })
    await sql`select pg_notify(${CHANNELS.messageChanged}, ${row.id})`
  }

  private async fail(session: InstanceSession, row: OutboxRow, failure: Failure): Promise<void> {
    const sql = sqlClient()
    await sql.begin(async (tx) => {
      const [stored] = await tx`
        update messages set status = 'ERROR', error_code = ${failure.code}, error_message = ${failure.message}, updated_at = now(),
          status_history = status_history || ${tx.json([{ status: 'ERROR', at: new Date().toISOString() }] as never)}
        where id = ${row.id} and status = 'PENDING'
        returning remote_jid, wa_id`
      if (!stored) return
      await recordEvent(tx, session.instance, 'SEND_MESSAGE_UPDATE', {
        key: { remoteJid: stored.remote_jid, fromMe: true, id: stored.wa_id },
        status: 'ERROR',
        error: failure,
      })
    })
    await sql`select pg_notify(${CHANNELS.messageChanged}, ${row.id})`
  }

  private async baileysContent(row: OutboxRow): Promise<AnyMessageContent> {
    const content = row.send_content
    switch (content.kind) {
      case 'text':
        return { text: content.text }
      case 'location':
        return { location: { degreesLatitude: content.latitude, degreesLongitude: content.longitude, name: content.name, address: content.address } }
      case 'contacts':
        return { contacts: { displayName: content.contacts.length === 1 ? content.contacts[0].displayName : `${content.contacts.length} contacts`, contacts: content.contacts } }
      case 'reaction':
        return { react: { text: content.text, key: content.key } }
      case 'media': {
        const [media] = await sqlClient()`select data, mimetype, file_name from message_media where message_id = ${row.id}`
        const data = Buffer.from(media.data)
        const mimetype = content.mimetype || media.mimetype
        switch (content.mediatype) {
          case 'image':
            return { image: data, caption: content.caption, mimetype }
          case 'video':
            return { video: data, caption: content.caption, mimetype }
          case 'audio':
            return { audio: data, mimetype }
          case 'document':
            return { document: data, mimetype, fileName: content.fileName ?? media.file_name ?? 'file', caption: content.caption }
        }
      }
    }
  }

  /** `quoted` in Evolution's shape; the stored message is used when we have it. */
  private async quotedMessage(session: InstanceSession, row: OutboxRow): Promise<WAMessage | undefined> {
    const content = row.send_content
    if (content.kind !== 'text' || !content.quoted?.key.id) return undefined
    const [stored] = await sqlClient()`
      select remote_jid, from_me, wa_id, participant, message from messages
      where instance_id = ${session.instance.id} and wa_id = ${content.quoted.key.id} limit 1`
    const remoteJid = stored?.remote_jid ?? content.quoted.key.remoteJid ?? row.remote_jid
    return {
      key: { remoteJid: jidNormalizedUser(remoteJid), fromMe: stored?.from_me ?? content.quoted.key.fromMe ?? false, id: content.quoted.key.id, participant: stored?.participant ?? undefined },
      message: proto.Message.fromObject(stored?.message ?? content.quoted.message ?? { conversation: '' }),
    }
  }

  cancelTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer)
  }

  idle(): Promise<void> {
    return this.drains.idle()
  }
}
