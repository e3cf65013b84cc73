// GET /instances/{name}/media/{id} – a message's media for the dashboard's Inbox (session cookie): the
// same service (and stream) as the API's GET messages/{id}/media, scoped to the signed-in account's instance.
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { sessionAuth } from '@/lib/auth/session-auth'
import { findInstance } from '@/lib/services/instances/instances'
import { getMessageMedia } from '@/lib/services/messages/read'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: sessionAuth }, async ({ auth, params }) => {
    const media = await getMessageMedia(await findInstance({ ctx: auth, input: { name: params.name } }), params.id)
    const headers: Record<string, string> = {
      'Content-Type': media.mimetype,
      'Content-Length': String(media.size),
      // Media never changes once stored; the browser keeps it while the session lasts.
      'Cache-Control': 'private, max-age=3600',
      // Shown inline (thumbnails, players) but never run as a page of ours.
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'X-Content-Type-Options': 'nosniff',
    }
    if (media.fileName) headers['Content-Disposition'] = `inline; filename*=UTF-8''${encodeURIComponent(media.fileName)}`
    return new Response(media.body, { status: 200, headers })
  }),
})
