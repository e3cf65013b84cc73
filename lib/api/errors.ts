/** Every error code of the API, its HTTP status and default message: the docs page renders this table. */
export const ERROR_CODES = {
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_request: { status: 400, message: 'The request failed validation; see details.' },
  unauthorized: { status: 401, message: 'A valid API key (or session) is required.' },
  ip_not_allowed: { status: 403, message: "The source IP is outside this key's CIDR allowlist." },
  instance_not_allowed: { status: 403, message: 'This key is pinned to other instances.' },
  insufficient_scope: { status: 403, message: 'This needs an account key; this key is an instance key.' },
  email_not_verified: { status: 403, message: 'Verify your email address first.' },
  forbidden: { status: 403, message: 'This request is not allowed.' },
  not_group_admin: { status: 403, message: 'Only an admin of this group may do that, and this instance is not one.' },
  instance_not_found: { status: 404, message: 'No instance with this name in your account.' },
  not_found: { status: 404, message: 'Not found.' },
  chat_not_found: { status: 404, message: 'This instance has no chat with this JID.' },
  group_not_found: { status: 404, message: 'No such group, or this instance is not in it.' },
  invite_code_invalid: { status: 404, message: 'The invite code is unknown or was revoked.' },
  method_not_allowed: { status: 405, message: 'This method is not allowed on this route.' },
  instance_not_connected: { status: 409, message: 'The instance is not connected to WhatsApp.' },
  already_sent: { status: 409, message: 'The message is on its way or was sent; only a scheduled send can be cancelled, until its time.' },
  idempotency_conflict: { status: 409, message: 'This Idempotency-Key was used with a different request.' },
  export_not_ready: { status: 409, message: 'This export is still being built (or failed); GET it for its progress.' },
  name_taken: { status: 409, message: 'That name is already in use in your account.' },
  email_taken: { status: 409, message: 'An account with this email already exists.' },
  push_name_required: { status: 409, message: 'WhatsApp shows an account online only once it has a push name; set one with chat/updateProfileName.' },
  edit_window_closed: { status: 409, message: 'WhatsApp lets a message be edited for 15 minutes after it was sent; this one is older.' },
  payload_too_large: { status: 413, message: 'The body or media is over the size limit.' },
  unsupported_media: { status: 415, message: 'This media cannot be sent in the requested form.' },
  not_on_whatsapp: { status: 422, message: 'The number has no WhatsApp account.' },
  rate_limited: { status: 429, message: 'Too many requests; retry after the Retry-After delay.' },
  internal_error: { status: 500, message: 'Something went wrong on our side. Quote the request id when contacting support.' },
  whatsapp_error: { status: 502, message: 'WhatsApp refused or failed the operation.' },
  unavailable: { status: 503, message: 'No worker holds this instance right now, or the database is out of reach for a moment; retry shortly (Retry-After says when, if given).' },
  media_storage_unavailable: { status: 503, message: 'The media store (object storage) refused the file or is out of reach; a send with media was not sent. Retry shortly.' },
  timeout: { status: 504, message: 'The worker did not answer in time.' },
} as const satisfies Record<string, { status: number; message: string }>

export type ErrorCode = keyof typeof ERROR_CODES

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value)
}

/** A code read back from a row the worker wrote: an unknown one is reported as WhatsApp's failure, never a 500. */
export function toErrorCode(value: unknown): ErrorCode {
  return isErrorCode(value) ? value : 'whatsapp_error'
}

export type ErrorDetail = { field: string; message: string }

export class ApiError extends Error {
  readonly status: number
  readonly headers: Record<string, string>

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ErrorDetail[] | Record<string, unknown>,
    headers: Record<string, string> = {},
  ) {
    super(message ?? ERROR_CODES[code].message)
    this.status = ERROR_CODES[code].status
    this.headers = headers
  }

  toBody(requestId: string) {
    return {
      error: this.code,
      message: this.message,
      ...(this.details ? { details: this.details } : {}),
      requestId,
    }
  }
}
