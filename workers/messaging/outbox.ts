// Sends the messages accepted by the web tier (the messages table is the outbox), per instance, in order.
import { jidNormalizedUser, proto, type AnyMessageContent, type WAMessage } from '@whiskeysockets/baileys'
import type { Logger } from '@/lib/log'
import type { ErrorCode } from '@/lib/api/errors'
import {
  attachFetchedMedia,
  findQuotable,
  hasStoredMedia,
  markAccepted,
  markDue,
  markFailed,
  markHeld,
  markStartsChat,
  markSendStarted,
  markSent,
  pendingOutbox,
  type Message,
  type StartAlso,
} from '@/lib/store/messages'
import { MediaStorageError } from '@/lib/media/bucket'
import { placeMedia, readMediaFile } from '@/lib/media/files'
import type { InstanceSession } from '@/workers/whatsapp/session'
import { messageToJson } from '@/workers/whatsapp/events'
import { SerialDrains } from '@/workers/instances/serial'
import { fetchMediaUrl, MediaFetchError } from './media-fetch'
import { linkPreviewOf } from './link-preview'
import { StickerSourceError, stickerWebp } from '@/lib/messages/sticker'
import { VOICE_NOTE_MIMETYPE, VoiceNoteError, voiceNote } from '@/lib/messages/voice-note'
import { NumberDirectory } from './numbers'
import { retryWithBackoff } from '@/lib/runtime/backoff'
import { isDatabaseUnavailable } from '@/lib/db/errors'
import { typingMs } from '@/lib/messages/send-policy'
import { isRateOverlimit } from '@/lib/instances/send-health'
import { Pacer, type PacingPass } from './pacing'

/** An API send in the outbox (always has its send content). */
type OutboxRow = Message & { sendContent: NonNullable<Message['sendContent']> }

type Failure = { code: ErrorCode; message: string }

/**
 * Scheduled sends due within this window are read on each pass (and a timer set for the soonest);
 * the instance manager's tick passes every 2 s, so a send enters the window long before it is due.
 */
const SCHEDULE_HORIZON_MS = 60_000

export class OutboxSender {
  private readonly drains: SerialDrains
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private stopping = false
  readonly numbers = new NumberDirectory()
  private readonly pacer: Pacer

  constructor(
    private readonly options: {
      workerId: string
      log: Logger
      sessionOf: (instanceId: string) => InstanceSession | undefined
      allowPrivateUrls: boolean
      /** The send policy's clock (days, quiet hours, planned times); tests may shift it (./policy-clock.ts). */
      now?: () => number
    },
  ) {
    this.drains = new SerialDrains((error, instanceId) => options.log.error({ err: error, instanceId }, 'outbox failed'))
    this.pacer = new Pacer(options.now ?? Date.now)
  }

  drain(instanceId: string): void {
    this.drains.request(instanceId, () => this.drainOnce(instanceId))
  }

  private async drainOnce(instanceId: string): Promise<void> {
    const session = this.options.sessionOf(instanceId)
    if (!session?.isOpen) return
    // Only while we hold the instance; in accept order. A row started by a dead owner is re-sent with its id.
    const rows = (await pendingOutbox(instanceId, this.options.workerId, SCHEDULE_HORIZON_MS)) as OutboxRow[]
    await session.health.checkUndelivered()
    if (!rows.length) return
    const pacing = await this.pacer.begin(instanceId, session.settings.sendPolicy)
    // One timer per instance, for the soonest row not yet due among all of them.
    let nextWakeMs: number | undefined
    const wakeIn = (delayMs: number) => (nextWakeMs = Math.min(nextWakeMs ?? delayMs, delayMs))
    try {
      for (const row of rows) {
        if (!session.isOpen) return
        if (row.status === 'SCHEDULED') {
          const scheduledIn = row.sendAt!.getTime() - Date.now()
          if (scheduledIn > 0) {
            wakeIn(scheduledIn)
            continue
          }
          if (!(await markDue(session.instance, row.id))) continue // cancelled just now
        }
        if (session.sendPause) {
          await this.holdWhilePaused(session, row)
          continue
        }
        try {
          const wait = await this.sendOrPlan(session, row, pacing)
          if (wait !== undefined) wakeIn(wait)
        } catch (error) {
          // WhatsApp's rate limit (a 429 on the number check, the device list or the keys, before the
          // message itself went out): stop sending at once; this send and the rest are held.
          if (!isRateOverlimit(error)) throw error
          await session.pauseSending('rate_overlimit')
          await this.holdWhilePaused(session, row)
        }
      }
    } finally {
      if (nextWakeMs !== undefined && !this.stopping) this.wakeAt(instanceId, nextWakeMs)
    }
  }

  /** One due row: sent now, or held by the policy; how long until the pass should look again, if at all. */
  private async sendOrPlan(session: InstanceSession, row: OutboxRow, pacing: PacingPass): Promise<number | undefined> {
    const checked = await this.prepare(session, row)
    if (checked === undefined) return undefined
    if (checked.dueIn > 0) return checked.dueIn // a delayed message never holds up the ones behind it
    const decision = await pacing.decide(row)
    if (!decision.send) {
      if (checked.acceptUnwritten) await markAccepted(row.id)
      if (decision.hold) await markHeld(session.instance, row.id, decision.hold)
      return decision.waitMs // later sends are planned behind it (or, past a cap, go to chats already open)
    }
    const startsChat = decision.startsChat !== null && row.startsChat === null ? decision.startsChat : null
    const typing = typingMs(pacing.policy, row.sendContent.kind === 'text' ? row.sendContent.text : undefined)
    if (typing) {
      // The accept comes before "typing…", as a person's would (the row's timestamps show both).
      if (checked.acceptUnwritten) await markAccepted(row.id)
      if (startsChat !== null) await markStartsChat(row.id, startsChat)
      await this.showTyping(session, row, typing)
      await this.send(session, row, {})
    } else {
      // Undelayed and untyped: accept, new-chat accounting and start in one statement.
      await this.send(session, row, { accepted: checked.acceptUnwritten, startsChat })
    }
    pacing.sent()
    return undefined
  }

  /** Sending is paused: the send waits, held with no planned time, and its caller hears so. */
  private async holdWhilePaused(session: InstanceSession, row: OutboxRow): Promise<void> {
    if (row.status === 'QUEUED_BY_POLICY' && row.policyReason === 'paused') return
    await markHeld(session.instance, row.id, { plannedAt: null, reason: 'paused', startsChat: row.startsChat ?? false })
  }

  /**
   * Checks the row if not yet accepted: how long until it is due, and whether its accept is still to
   * be written (an undelayed send's is written with whatever comes next: its start or its hold);
   * undefined when it was refused.
   */
  private async prepare(session: InstanceSession, row: OutboxRow): Promise<{ dueIn: number; acceptUnwritten: boolean } | undefined> {
    let acceptUnwritten = false
    if (!row.acceptedAt) {
      const refused = await this.accept(session, row)
      if (refused) {
        await this.fail(session, row, refused)
        return undefined
      }
      acceptUnwritten = !row.sendAfter
    }
    return { dueIn: row.sendAfter ? row.sendAfter.getTime() - Date.now() : 0, acceptUnwritten }
  }

  /** The policy's "typing…" in proportion to the text, before it is sent. */
  private async showTyping(session: InstanceSession, row: OutboxRow, ms: number): Promise<void> {
    await session.socket!.sendPresenceUpdate('composing', row.remoteJid).catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, ms))
  }

  private wakeAt(instanceId: string, delayMs: number): void {
    clearTimeout(this.timers.get(instanceId))
    // A hold can be days long (the new-chat cap); Node fires a timer over ~24.8 days at once, and the
    // next pass sets the timer again anyway.
    this.timers.set(instanceId, setTimeout(() => this.drain(instanceId), Math.min(delayMs, SCHEDULE_HORIZON_MS) + 5))
  }

  /**
   * Number check, media fetch and "typing…": everything that can refuse a message before it is due.
   * A delayed send's accept is written here (its caller answers on it, before the delay); an undelayed
   * one's is left to the caller.
   */
  private async accept(session: InstanceSession, row: OutboxRow): Promise<Failure | undefined> {
    const socket = session.socket!
    if (row.remoteJid.endsWith('@s.whatsapp.net')) {
      const number = row.remoteJid.split('@')[0]
      const [found] = await this.numbers.lookup(socket, [number])
      if (!found.exists) return { code: 'not_on_whatsapp', message: `${number} has no WhatsApp account.` }
    }
    const content = row.sendContent
    if ((content.kind === 'media' || content.kind === 'sticker' || content.kind === 'voice') && content.url) {
      if (!(await hasStoredMedia(row.id))) {
        try {
          const limit = content.kind === 'media' ? content.mediatype : content.kind === 'voice' ? 'audio' : 'sticker'
          const fetched = await fetchMediaUrl(content.url, limit, { allowPrivate: this.options.allowPrivateUrls })
          const declared = content.kind === 'media' ? content.mimetype : ''
          const fileName = (content.kind === 'media' ? content.fileName : undefined) ?? fetched.fileName ?? null
          await attachFetchedMedia(row.id, await placeMedia(session.instance, row.id, { data: fetched.data, mimetype: declared || fetched.mimetype, fileName }))
        } catch (error) {
          if (error instanceof MediaFetchError) return { code: error.code, message: error.message }
          // The bucket refused the file: the send fails with that reason (the instance is fine).
          if (error instanceof MediaStorageError) return { code: 'media_storage_unavailable', message: `${error.message} The message was not sent.` }
          throw error
        }
      }
    }
    if (!row.sendAfter) return undefined
    if (row.sendAfter.getTime() > Date.now()) await socket.sendPresenceUpdate('composing', row.remoteJid).catch(() => {})
    await markAccepted(row.id)
    return undefined
  }

  private async send(session: InstanceSession, row: OutboxRow, also: StartAlso): Promise<void> {
    if (!(await markSendStarted(row.id, also))) return // cancelled (the web request gave up) since the pass read it
    let sent: WAMessage | undefined
    try {
      const content = await this.withMentions(session, row, await this.baileysContent(row))
      const quoted = await this.quotedMessage(session, row)
      session.ownSends.expect(row.waId, row.remoteJid)
      sent = await session.socket!.sendMessage(row.remoteJid, content, { messageId: row.waId, quoted })
      if (row.sendAfter) await session.socket!.sendPresenceUpdate('paused', row.remoteJid).catch(() => {})
    } catch (error) {
      // Baileys reads and writes its Signal keys in our database while it encrypts: a lost
      // connection there is not WhatsApp refusing the message. The row stays started and the next
      // drain sends it again, with the same id.
      if (isDatabaseUnavailable(error)) throw error
      if (isRateOverlimit(error)) throw error // the drain pauses the instance and holds this send
      if (error instanceof StickerSourceError || error instanceof VoiceNoteError) {
        await this.recordOutcome(row, () => this.fail(session, row, { code: 'unsupported_media', message: error.message }))
        return
      }
      if (error instanceof MediaStorageError) {
        await this.recordOutcome(row, () => this.fail(session, row, { code: 'media_storage_unavailable', message: `${error.message} The message was not sent.` }))
        return
      }
      this.options.log.warn({ err: error, messageId: row.waId }, 'send failed')
      await this.recordOutcome(row, () =>
        this.fail(session, row, { code: 'whatsapp_error', message: error instanceof Error ? error.message : 'WhatsApp refused the message.' }),
      )
      return
    }
    await this.recordOutcome(row, () => markSent(session.instance, row.id, sent?.message ? messageToJson(sent.message) : undefined))
  }

  /**
   * Once the message went to the socket, its outcome is written until the write succeeds: given up
   * on, the row would stay started-but-unsent and the next drain would hand it to WhatsApp again.
   * Only a shutdown stops the retries (the next owner then resends it with the same id).
   */
  private async recordOutcome(row: OutboxRow, write: () => Promise<void>): Promise<void> {
    await retryWithBackoff(write, {
      maxMs: 2_000,
      shouldStop: () => this.stopping,
      onRetry: (error, delayMs) => this.options.log.warn({ err: error, messageId: row.waId, delayMs }, 'could not record a send outcome; retrying'),
    })
  }

  private fail(session: InstanceSession, row: OutboxRow, failure: Failure): Promise<void> {
    return markFailed(session.instance, row.id, failure)
  }

  private async baileysContent(row: OutboxRow): Promise<AnyMessageContent> {
    const content = row.sendContent
    switch (content.kind) {
      case 'text':
        // Never undefined: Baileys would otherwise fetch the link itself, past our SSRF guard (Utils/messages.js, generateLinkPreviewIfRequired).
        return { text: content.text, linkPreview: content.linkPreview ? ((await linkPreviewOf(content.text, { allowPrivate: this.options.allowPrivateUrls })) ?? null) : null }
      case 'location':
        return { location: { degreesLatitude: content.latitude, degreesLongitude: content.longitude, name: content.name, address: content.address } }
      case 'contacts':
        return { contacts: { displayName: content.contacts.length === 1 ? content.contacts[0].displayName : `${content.contacts.length} contacts`, contacts: content.contacts } }
      case 'reaction':
        return { react: { text: content.text, key: content.key } }
      case 'poll':
        // Baileys adds the 32-byte messageSecret votes are encrypted with (messageContextInfo), and we store it with the message.
        return { poll: { name: content.name, values: content.values, selectableCount: content.selectableCount } }
      case 'sticker': {
        const media = await readMediaFile(row.id)
        if (!media) throw new Error('The picture of this sticker is missing.')
        return { sticker: await stickerWebp(media.data), mimetype: 'image/webp' }
      }
      case 'voice': {
        const media = await readMediaFile(row.id)
        if (!media) throw new Error('The audio of this voice note is missing.')
        const note = await voiceNote(media.data, { convert: content.encoding })
        // Baileys' type lacks waveform, but it copies every field of the content into the audioMessage (prepareWAMessageMedia).
        return { audio: note.audio, ptt: true, mimetype: VOICE_NOTE_MIMETYPE, seconds: note.seconds, waveform: note.waveform } as AnyMessageContent
      }
      case 'forward':
        // force: WhatsApp marks it "Forwarded" even when it was our own message (Baileys' generateForwardMessageContent).
        return { forward: { key: { remoteJid: row.remoteJid, fromMe: true, id: row.waId }, message: proto.Message.fromObject(content.message) }, force: true }
      case 'media': {
        const media = await readMediaFile(row.id)
        if (!media) throw new Error('The media of this message is missing.')
        const { data } = media
        const mimetype = content.mimetype || media.mimetype
        switch (content.mediatype) {
          case 'image':
            return { image: data, caption: content.caption, mimetype }
          case 'video':
            // ptv: a round video note (ptvMessage); gifPlayback: loops silently, as WhatsApp shows GIFs.
            return { video: data, caption: content.caption, mimetype, ...(content.ptv ? { ptv: true } : {}), ...(content.gif ? { gifPlayback: true } : {}) }
          case 'audio':
            return { audio: data, mimetype }
          case 'document':
            return { document: data, mimetype, fileName: content.fileName ?? media.fileName ?? 'file', caption: content.caption }
        }
      }
    }
  }

  /**
   * `mentions` (numbers) and `mentionsEveryOne` (a group's members, as WhatsApp names them now) become
   * the message's contextInfo.mentionedJid (Baileys: generateWAMessageContent, any message type).
   */
  private async withMentions(session: InstanceSession, row: OutboxRow, content: AnyMessageContent): Promise<AnyMessageContent> {
    const { mentions = [], mentionsEveryOne, kind } = row.sendContent
    if (kind === 'reaction' || kind === 'forward') return content
    const jids = mentions.map((number) => `${number}@s.whatsapp.net`)
    if (mentionsEveryOne && row.remoteJid.endsWith('@g.us')) {
      const metadata = await session.socket!.groupMetadata(row.remoteJid)
      jids.push(...metadata.participants.map((participant) => participant.phoneNumber ?? participant.id))
    }
    return jids.length ? ({ ...content, mentions: [...new Set(jids)] } as AnyMessageContent) : content
  }

  /** `quoted` in Evolution's shape, on any send; the stored message is used when we have it. */
  private async quotedMessage(session: InstanceSession, row: OutboxRow): Promise<WAMessage | undefined> {
    const content = row.sendContent
    if (!content.quoted?.key.id) return undefined
    const stored = await findQuotable(session.instance.id, content.quoted.key.id)
    const remoteJid = stored?.remoteJid ?? content.quoted.key.remoteJid ?? row.remoteJid
    return {
      key: { remoteJid: jidNormalizedUser(remoteJid), fromMe: stored?.fromMe ?? content.quoted.key.fromMe ?? false, id: content.quoted.key.id, participant: stored?.participant ?? undefined },
      message: proto.Message.fromObject(stored?.message ?? content.quoted.message ?? { conversation: '' }),
    }
  }

  /** No more delayed wake-ups or outcome retries: the worker is stopping. */
  shutDown(): void {
    this.stopping = true
    for (const timer of this.timers.values()) clearTimeout(timer)
  }

  idle(): Promise<void> {
    return this.drains.idle()
  }
}
