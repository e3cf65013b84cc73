// GET /api/v1/instance/{name}/messages/{id}/media – the decrypted media file of a message, with its mimetype
// (streamed from the bucket when media are in object storage: no redirect, so the bucket stays private).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { getMessageMedia } from '@/lib/services/messages/read'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: dataPlaneAuth }, async ({ auth, params }) => {
    const media = await getMessageMedia(auth.instance, params.id)
    const headers: Record<string, string> = { 'Content-Type': media.mimetype, 'Content-Length': String(media.size) }
    if (media.fileName) headers['Content-Disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(media.fileName)}`
    return new Response(media.body, { status: 200, headers })
  }),
})
