// Dashboard requests carry their own path in a header, so the dashboard layout can send a logged-out
// visitor to /login?next=<that path> and back again (layouts cannot see the URL otherwise).
import { NextResponse, type NextRequest } from 'next/server'

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers)
  headers.set('x-sage-request-path', request.nextUrl.pathname + request.nextUrl.search)
  return NextResponse.next({ request: { headers } })
}

export const config = { matcher: ['/instances/:path*', '/keys/:path*', '/webhooks/:path*'] }
