/**
 * The body of a delivery: the `{event, instance, data}` of /docs#webhooks plus the event's unique `id` and
 * `timestamp` (ISO 8601, when the event happened). Built in this key order every time, so every
 * retry of a delivery sends byte-identical JSON; only X-Sage-Timestamp and the signature change.
 */
export type WebhookPayload = { event: string; instance: string; data: unknown; id: string; timestamp: string; sandbox?: boolean }

export const TEST_EVENT = 'WEBHOOK_TEST'

export function payloadBody(payload: WebhookPayload): string {
  // `sandbox: true` only for a sandbox instance's events: real payloads keep their documented shape.
  return JSON.stringify({
    event: payload.event,
    instance: payload.instance,
    ...(payload.sandbox ? { sandbox: true } : {}),
    data: payload.data,
    id: payload.id,
    timestamp: payload.timestamp,
  })
}
