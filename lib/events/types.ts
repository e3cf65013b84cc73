/** Every event an instance records (and webhooks deliver); the /docs page documents each one's data. */
export const EVENT_TYPES = [
  'MESSAGES_UPSERT',
  'MESSAGES_SET',
  'MESSAGES_UPDATE',
  'MESSAGES_DELETE',
  'POLL_VOTE',
  'SEND_MESSAGE_UPDATE',
  'CHATS_SET',
  'CHATS_UPDATE',
  'CHATS_DELETE',
  'CONTACTS_SET',
  'CONNECTION_UPDATE',
  'QRCODE_UPDATED',
  'GROUPS_UPSERT',
  'GROUP_UPDATE',
  'GROUP_PARTICIPANTS_UPDATE',
  'CALL',
  'PRESENCE_UPDATE',
  'INSTANCE_HEALTH',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

/** Who an event belongs to: enough to record it and to find the endpoints it fans out to. */
/** `sandbox`: set by the worker's claim (workers/instances/manager.ts); absent elsewhere. */
export type InstanceIdentity = { id: string; userId: string; name: string; sandbox?: boolean }
