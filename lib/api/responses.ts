import { ApiError } from './errors'

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers })
}

export function created(data: unknown): Response {
  return json(data, 201)
}

export function errorResponse(error: unknown, requestId: string): Response {
  const apiError = error instanceof ApiError ? error : new ApiError('internal_error')
  return json(apiError.toBody(requestId), apiError.status, { 'X-Request-Id': requestId, ...apiError.headers })
}
