// POST /api/v1/instance/{name}/chat/fetchProfilePictureUrl – where a contact's picture is.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { ContactBody } from '@/lib/api/schemas/chats'
import { fetchProfilePictureUrl } from '@/lib/services/messages/chat'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: ContactBody }, async ({ auth, body }) => json(await fetchProfilePictureUrl(auth.instance, body.number))),
})
