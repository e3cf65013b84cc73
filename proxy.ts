// Next.js 16's proxy (middleware), for two things:
// - Dashboard requests carry their own path in a header, so the dashboard layout can send a logged-out
//   visitor to /login?next=<that path> and back again (layouts cannot see the URL otherwise).
// - An /api path that is not percent-encoded UTF-8 (`%ff`) makes Next.js fail while decoding the route's
//   params, before any route handler runs, with a plain-text 500. The proxy sees the raw path first and
//   answers our JSON 400 instead. It runs only on /api paths that hold a `%`, so the data plane's
//   ordinary requests do not pay for it.
import { NextResponse, type NextRequest } from 'next/server'
import { ApiError } from '@/lib/api/errors'
import { rawPathProblem } from '@/lib/api/path-check'
import { newRequestId } from '@/lib/api/request-id'
import { errorResponse } from '@/lib/api/responses'

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl
  if (pathname.startsWith('/api/')) {
    const problem = rawPathProblem(pathname)
    if (!problem) return NextResponse.next()
    return errorResponse(new ApiError('invalid_request', 'The request path failed validation; see details.', [{ field: 'path', message: problem }]), newRequestId())
  }
  const headers = new Headers(request.headers)
  headers.set('x-sage-request-path', pathname + request.nextUrl.search)
  return NextResponse.next({ request: { headers } })
}

export const config = { matcher: ['/instances/:path*', '/keys/:path*', '/webhooks/:path*', '/api/:path(.*%.*)'] }
