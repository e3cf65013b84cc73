import { newRequestId, type RouteContext } from './handler'
import { ApiError } from './errors'
import { errorResponse } from './responses'
import type { NextRequest } from 'next/server'

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
type Method = (typeof HTTP_METHODS)[number]
type Handler = (request: NextRequest, context: RouteContext) => Promise<Response>

/**
 * Next.js answers a method a route does not export with a bare 405; every API answer, 405 included,
 * uses the JSON error format (README, "The API in brief"; /docs#errors), so each route file exports all methods through this.
 */
export function methods(handlers: Partial<Record<Method, Handler>>): Record<Method, Handler> {
  const allow = Object.keys(handlers).join(', ')
  const notAllowed: Handler = async () =>
    errorResponse(new ApiError('method_not_allowed', `Use ${allow} on this route.`, undefined, { Allow: allow }), newRequestId())
  return Object.fromEntries(HTTP_METHODS.map((method) => [method, handlers[method] ?? notAllowed])) as Record<Method, Handler>
}
