/** Every event an instance records (and webhooks deliver); the /docs page documents each one's data. */
export const EVENT_TYPES = [
  'MESSAGES_UPSERT',
  'MESSAGES_SET',
  'MESSAGES_UPDATE',
  'MESSAGES_DELETE',
  'SEND_MESSAGE_UPDATE',
  'CHATS_SET',
  'CONTACTS_SET',
  'CONNECTION_UPDATE',
  'QRCODE_UPDATED',
  'GROUPS_UPSERT',
  'GROUP_UPDATE',
  'GROUP_PARTICIPANTS_UPDATE',
  'CALL',
  'INSTANCE_HEALTH',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

/** Who an event belongs to: enough to record it and to find the endpoints it fans out to. */
/** `sandbox`: set by the worker's claim (workers/instances/manager.ts); absent elsewhere. */
export type InstanceIdentity = { id: string; userId: string; name: string; sandbox?: boolean }
