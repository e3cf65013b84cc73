// GET /demo/phone/feed?instance=&contact= – what the virtual phone shows, polled by its page (session cookie; demo mode only).
import { createHash } from 'node:crypto'
import { currentUser } from '@/lib/auth/session'
import { virtualPhoneAvailable } from '@/lib/demo/mode'
import { demoFeed } from '@/lib/demo/virtual-phone'

export const dynamic = 'force-dynamic'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } })

export async function GET(request: Request) {
  if (!virtualPhoneAvailable()) return json(404, { error: 'not_found', message: 'The virtual phone only exists in demo mode (npm run demo) or with sandboxes on.' })
  const user = await currentUser()
  if (!user) return json(401, { error: 'unauthorized', message: 'Log in to use the virtual phone.' })
  const url = new URL(request.url)
  try {
    const feed = await demoFeed(user, { instance: url.searchParams.get('instance') ?? undefined, contact: url.searchParams.get('contact') ?? undefined })
    const body = JSON.stringify(feed)
    // The page polls every second or two; an unchanged feed costs one short answer.
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`
    if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag, 'cache-control': 'no-store' } })
    return new Response(body, { headers: { 'content-type': 'application/json', 'cache-control': 'no-store', etag } })
  } catch (error) {
    const message = error instanceof Error && /fetch failed|ECONNREFUSED/i.test(error.message) ? 'The WhatsApp simulator is not answering.' : 'The virtual phone could not be read.'
    return json(503, { error: 'unavailable', message })
  }
}
