import 'server-only'
import type { NextRequest } from 'next/server'
import type { z } from 'zod'
import { log, requestLog } from '@/lib/log'
import { routeLabel, webMetrics } from '@/lib/metrics/web'
import { countAnswer } from '@/lib/usage/request-caller'
import { ApiError } from './errors'
import { parseWith, readJsonBody } from './validation'
import { errorResponse } from './responses'
import { requestFingerprint, withIdempotency } from './idempotency'
import { databaseUnavailable } from './database-errors'
import { paramProblems } from './path-check'
import { newRequestId } from './request-id'

export { newRequestId }

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

export type RouteContext = { params: Promise<Record<string, string | string[]>> }

/**
 * Decides who is calling. Returns the caller plus headers that every response must carry (rate-limit
 * state), or throws an ApiError whose headers are kept on the error response too.
 */
export type Authenticator<TAuth> = (input: {
  request: NextRequest
  params: Record<string, string>
  requestId: string
}) => Promise<{ auth: TAuth; headers?: Record<string, string> }>

export type HandlerInput<TAuth, TBody, TQuery> = {
  request: NextRequest
  requestId: string
  params: Record<string, string>
  auth: TAuth
  body: TBody
  query: TQuery
}

type Options<TAuth, TBodySchema extends z.ZodType | undefined, TQuerySchema extends z.ZodType | undefined> = {
  auth: Authenticator<TAuth>
  body?: TBodySchema
  query?: TQuerySchema
  maxBodyBytes?: number
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined

/** The one wrapper every route handler goes through: request id, auth, body/query validation, errors, logging. */
export function apiRoute<TAuth, TBodySchema extends z.ZodType | undefined = undefined, TQuerySchema extends z.ZodType | undefined = undefined>(
  options: Options<TAuth, TBodySchema, TQuerySchema>,
  handler: (input: HandlerInput<TAuth, Infer<TBodySchema>, Infer<TQuerySchema>>) => Promise<Response> | Response,
) {
  return async (request: NextRequest, context: RouteContext): Promise<Response> => {
    const requestId = newRequestId()
    const startedAt = performance.now()
    let extraHeaders: Record<string, string> = {}
    let response: Response
    let params: Record<string, string> = {}
    try {
      params = flattenParams(await context.params)
      const badParams = paramProblems(params)
      if (badParams.length > 0) throw new ApiError('invalid_request', 'The request path failed validation; see details.', badParams)
      const authenticated = await options.auth({ request, params, requestId })
      extraHeaders = authenticated.headers ?? {}
      const run = async () => {
        const body = options.body
          ? parseWith(options.body, await readJsonBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), 'body')
          : undefined
        const query = options.query
          ? parseWith(options.query, Object.fromEntries(request.nextUrl.searchParams), 'query')
          : undefined
        return handler({
          request,
          requestId,
          params,
          auth: authenticated.auth,
          body: body as Infer<TBodySchema>,
          query: query as Infer<TQuerySchema>,
        })
      }
      const idempotencyKey = request.method === 'POST' ? request.headers.get('idempotency-key') : null
      const userId = (authenticated.auth as { apiKey?: { userId?: string } } | null)?.apiKey?.userId
      response =
        idempotencyKey !== null && userId
          ? await withIdempotency(
              {
                userId,
                key: idempotencyKey,
                fingerprint: requestFingerprint(request.method, request.nextUrl.pathname, await request.clone().arrayBuffer()),
              },
              // Errors become responses here so the idempotency record can keep (or drop) them.
              () => run().catch((error) => failure(error, request, requestId)),
            )
          : await run()
    } catch (error) {
      if (error instanceof ApiError) extraHeaders = { ...extraHeaders, ...error.headers }
      response = failure(error, request, requestId)
    }
    for (const [name, value] of Object.entries(extraHeaders)) response.headers.set(name, value)
    response.headers.set('X-Request-Id', requestId)
    webMetrics().requests.inc({ route: routeLabel(request.nextUrl.pathname, params), method: request.method, status: response.status })
    countAnswer(request, response.status)
    requestLog().info(
      {
        requestId,
        method: request.method,
        path: request.nextUrl.pathname,
        status: response.status,
        ms: Math.round((performance.now() - startedAt) * 10) / 10,
      },
      'request',
    )
    return response
  }
}

function failure(error: unknown, request: NextRequest, requestId: string): Response {
  if (error instanceof ApiError) return errorResponse(error, requestId)
  const where = { err: error, requestId, method: request.method, path: request.nextUrl.pathname }
  const unavailable = databaseUnavailable(error)
  if (unavailable) {
    log.warn(where, 'database unreachable')
    return errorResponse(unavailable, requestId)
  }
  log.error(where, 'unhandled error')
  return errorResponse(error, requestId)
}

function flattenParams(params: Record<string, string | string[]> | undefined): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(params ?? {})) flat[name] = Array.isArray(value) ? value.join('/') : value
  return flat
}

/** Routes anyone may call (status, openapi). */
export const noAuth: Authenticator<null> = async () => ({ auth: null })
