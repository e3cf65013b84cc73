import type { z } from 'zod'
import type { ErrorCode } from '@/lib/api/errors'

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/**
 * Who may call an endpoint, named after the authenticator its route passes to apiRoute (the docs
 * tests read the route files and compare): dataPlaneAuth, keyAuth, accountKeyAuth, webhookKeyAuth,
 * sessionAuth, verifiedSessionAuth, noAuth.
 */
export type AuthKind = 'instanceKey' | 'key' | 'accountKey' | 'webhookKey' | 'session' | 'verifiedSession' | 'none'

export type GroupId = 'instance' | 'messages' | 'chat' | 'groups' | 'sandbox' | 'account' | 'webhooks' | 'platform' | 'events' | 'system'

/**
 * The values an example is built from. The docs page fills in placeholders (or the signed-in user's
 * instance names); the docs tests fill in real ids from a running stack, so every example is run.
 */
export type ExampleContext = {
  instance: string
  /** A recipient with WhatsApp. */
  number: string
  /** A message this instance sent. */
  sentMessageId: string
  /** A send scheduled for later (GET chat/scheduled lists it, DELETE messages/{id} cancels it). */
  scheduledMessageId: string
  /** A message this instance received (for markMessageAsRead). */
  receivedMessageId: string
  receivedFrom: string
  /** A message with media. */
  mediaMessageId: string
  /** An image URL the worker can download. */
  mediaUrl: string
  /** An audio file URL (MP3, WAV, Ogg/Opus …) the worker can download. */
  audioUrl: string
  webhookId: string
  deliveryId: string
  webhookUrl: string
  /** An instance the platform examples create, pair and delete. */
  newInstance: string
  /** An instance key the key examples read, edit and revoke. */
  keyId: string
  /** A background export the export examples follow and download. */
  exportId: string
  /** A group the instance is an admin of. */
  groupJid: string
  /** A number the group examples add, promote, demote and remove. */
  memberNumber: string
  /** A group invite code the instance may look at and use. */
  inviteCode: string
  /** A linked sandbox instance (created with `sandbox: true`). */
  sandboxInstance: string
  /** A contact of the sandbox instance's world. */
  sandboxContact: string
}

export type ExampleRequest = {
  params?: Record<string, string>
  query?: Record<string, string>
  body?: unknown
}

export type EndpointResponse = {
  status: number
  description: string
  /** JSON body schema; omitted for non-JSON answers (contentType says what comes back). */
  schema?: z.ZodType
  contentType?: string
  example?: unknown
}

export type Endpoint = {
  /** Anchor on /docs and the OpenAPI operationId. */
  id: string
  group: GroupId
  method: HttpMethod
  /** As the spec spells it, with {params}. */
  path: string
  summary: string
  description?: string
  auth: AuthKind
  body?: z.ZodType
  /** The handler reads and validates the body itself (JSON or multipart) instead of apiRoute. */
  bodyParsedInHandler?: boolean
  multipart?: { fileField: string; description: string }
  query?: z.ZodType
  response: EndpointResponse
  /** Errors this endpoint itself may answer; the ones every endpoint of its auth kind may answer are added. */
  errors: ErrorCode[]
  /** Server-sent events: an open stream, not one JSON answer. */
  stream?: boolean
  example: (context: ExampleContext) => ExampleRequest
}
