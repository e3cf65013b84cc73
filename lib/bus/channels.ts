/**
 * LISTEN/NOTIFY channels between web and worker. A notification only wakes the reader: the rows it
 * points at are the truth, so a lost notification delays work but never loses it.
 */
export const CHANNELS = {
  /** web → workers: an instance wants attention (new command, connect, logout). Payload: instance id. */
  work: 'sage_work',
  /**
   * web → workers: an API send was written (the outbox row's own statement sends it, so it arrives
   * with the commit). Payload: instance id. Wakes only that instance's send outbox: a send needs no
   * lease tick and no command-queue pass.
   */
  outbox: 'sage_outbox',
  /** worker → web: a command finished. Payload: command id. */
  commandDone: 'sage_command_done',
  /** worker → web: an instance's state or QR changed. Payload: instance id. */
  instanceChanged: 'sage_instance_changed',
  /** worker → web: an API send was accepted, sent or failed. Payload: message row id. */
  messageChanged: 'sage_message_changed',
  /** whoever records an event → web: sent by `recordEvent` inside its transaction, so it arrives after the commit. Payload: account (user) id. */
  eventRecorded: 'sage_event_recorded',
} as const
