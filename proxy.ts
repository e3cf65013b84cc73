// Next.js 16's proxy (middleware), for two things:
// - Dashboard requests carry their own path in a header, so the dashboard layout can send a logged-out
//   visitor to /login?next=<that path> and back again (layouts cannot see the URL otherwise).
// - An /api path that is not percent-encoded UTF-8 (`%ff`) makes Next.js fail while decoding the route's
//   params, before any route handler runs, with a plain-text 500. The proxy sees the raw path first and
//   answers our JSON 400 instead. It runs only on /api paths that hold a `%`, so the data plane's
//   ordinary requests do not pay for it. A dashboard path like that (`/instances/%ff`) would end in the
//   same plain-text 500; it gets a small page saying the address is broken, with a way back.
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
  if (pathname.includes('%') && rawPathProblem(pathname)) return brokenAddressPage()
  const headers = new Headers(request.headers)
  headers.set('x-sage-request-path', pathname + request.nextUrl.search)
  return NextResponse.next({ request: { headers } })
}

const BROKEN_ADDRESS_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Broken address · SAGE-API</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { max-width: 28rem; padding: 2rem; text-align: center; }
  h1 { font-size: 1.25rem; margin: 0 0 .5rem; }
  p { margin: 0 0 1.5rem; opacity: .75; line-height: 1.5; }
  a { display: inline-block; padding: .6rem 1rem; border-radius: .5rem; background: #059669; color: #fff; text-decoration: none; font-weight: 600; }
</style></head>
<body><main><h1>This address is broken</h1>
<p>Part of the link is not valid text (it holds an encoding error or a NUL character), so it cannot lead to any page.</p>
<a href="/instances">Go to your instances</a></main></body></html>`

function brokenAddressPage(): NextResponse {
  return new NextResponse(BROKEN_ADDRESS_HTML, { status: 400, headers: { 'content-type': 'text/html; charset=utf-8' } })
}

// Dashboard pages with a path parameter, plus any other path holding a `%` (only those can be undecodable).
export const config = { matcher: ['/instances/:path*', '/keys/:path*', '/webhooks/:path*', '/:path(.*%.*)'] }
