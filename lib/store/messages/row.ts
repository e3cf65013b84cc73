// The `messages` row: its type, the columns every read selects, and how a database row becomes one.
import 'server-only'
import { toErrorCode, type ErrorCode } from '@/lib/api/errors'
import type { MessageStatus } from '@/lib/db/schema/messages'
import type { SendContent } from '@/lib/messages/content'
import { dateOrNull, type HistoryEntry } from '../sql'

export type MediaInfo = { mimetype: string; fileName?: string | null; size?: number }

export type Message = {
  id: string
  instanceId: string
  waId: string
  remoteJid: string
  remoteJidAlt: string | null
  fromMe: boolean
  participant: string | null
  participantAlt: string | null
  pushName: string | null
  messageType: string
  message: Record<string, unknown>
  messageTimestamp: number
  status: MessageStatus
  statusHistory: HistoryEntry<MessageStatus>[]
  viaApi: boolean
  media: MediaInfo | null
  sendContent: SendContent | null
  sendAfter: Date | null
  sendAt: Date | null
  plannedAt: Date | null
  policyReason: PolicyReason | null
  transactional: boolean
  startsChat: boolean | null
  acceptedAt: Date | null
  sendStartedAt: Date | null
  sentAt: Date | null
  error: { code: ErrorCode; message: string } | null
  /** The failure in words, also when no code was recorded with it. */
  errorMessage: string | null
  editedAt: Date | null
  editHistory: EditHistoryEntry[]
  deletedAt: Date | null
  /** Came in a history sync: never announced as MESSAGES_UPSERT. */
  fromHistory: boolean
  createdAt: Date
}

/** A content a later edit replaced, and when. */
export type EditHistoryEntry = { message: Record<string, unknown>; messageType: string; replacedAt: string }

/** Why the send policy holds a send: the gap between sends, quiet hours, or the day's new-chat cap. */
/** `paused`: the instance's sending is paused (auto-pause); no planned time until it is resumed. */
export type PolicyReason = 'gap' | 'quiet_hours' | 'new_chat_cap' | 'paused'

export type MediaBytes = { data: Buffer; mimetype: string; fileName: string | null }
/**
 * A message's media as its `message_media` row keeps it: the bytes themselves, or the key of the
 * object that holds them in the bucket (S3_BUCKET; lib/media/files.ts decides which).
 */
export type StoredMedia = { mimetype: string; fileName: string | null; size: number } & ({ data: Buffer; storageKey: null } | { data: null; storageKey: string })

/** Rows per multi-row insert: well under the 65,535 parameters a statement may have. */
export const ROWS_PER_STATEMENT = 1000

export const STATUS_ORDER: MessageStatus[] = ['PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED']


export function toMessage(row: Record<string, unknown>): Message {
  return {
    id: row.id as string,
    instanceId: row.instance_id as string,
    waId: row.wa_id as string,
    remoteJid: row.remote_jid as string,
    remoteJidAlt: (row.remote_jid_alt as string | null) ?? null,
    fromMe: Boolean(row.from_me),
    participant: (row.participant as string | null) ?? null,
    participantAlt: (row.participant_alt as string | null) ?? null,
    pushName: (row.push_name as string | null) ?? null,
    messageType: row.message_type as string,
    message: (row.message as Record<string, unknown>) ?? {},
    messageTimestamp: Number(row.message_timestamp),
    status: row.status as MessageStatus,
    statusHistory: (row.status_history as HistoryEntry<MessageStatus>[]) ?? [],
    viaApi: Boolean(row.via_api),
    media: (row.media as MediaInfo | null) ?? null,
    sendContent: (row.send_content as SendContent | null) ?? null,
    sendAfter: dateOrNull(row.send_after),
    sendAt: dateOrNull(row.send_at),
    plannedAt: dateOrNull(row.planned_at),
    policyReason: (row.policy_reason as PolicyReason | null) ?? null,
    transactional: Boolean(row.transactional),
    startsChat: (row.starts_chat as boolean | null) ?? null,
    acceptedAt: dateOrNull(row.accepted_at),
    sendStartedAt: dateOrNull(row.send_started_at),
    sentAt: dateOrNull(row.sent_at),
    error: row.error_code ? { code: toErrorCode(row.error_code), message: (row.error_message as string | null) ?? '' } : null,
    errorMessage: (row.error_message as string | null) ?? null,
    editedAt: dateOrNull(row.edited_at),
    editHistory: (row.edit_history as EditHistoryEntry[] | null) ?? [],
    deletedAt: dateOrNull(row.deleted_at),
    fromHistory: Boolean(row.from_history),
    createdAt: new Date(row.created_at as string),
  }
}

export const COLUMNS = `m.id, m.instance_id, m.wa_id, m.remote_jid, m.remote_jid_alt, m.from_me, m.participant, m.participant_alt, m.push_name,
  m.message_type, m.message, m.message_timestamp, m.status, m.status_history, m.via_api, m.media, m.send_content, m.send_after, m.send_at,
  m.planned_at, m.policy_reason, m.transactional, m.starts_chat, m.accepted_at, m.send_started_at, m.sent_at, m.error_code, m.error_message, m.edited_at, m.edit_history,
  m.deleted_at, m.from_history, m.created_at`
