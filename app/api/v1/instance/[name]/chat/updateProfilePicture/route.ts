// POST /api/v1/instance/{name}/chat/updateProfilePicture – the instance's own picture.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { UpdateProfilePictureBody } from '@/lib/api/schemas/profile'
import { updateProfilePicture } from '@/lib/services/chats/profile'
import { JSON_MEDIA_MAX_BODY_BYTES } from '@/lib/services/messages/media-input'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: UpdateProfilePictureBody, maxBodyBytes: JSON_MEDIA_MAX_BODY_BYTES }, async ({ auth, body }) => json(await updateProfilePicture(auth.instance, body.picture))),
})
