// POST /api/v1/instance/{name}/message/sendSticker – send a sticker (a WebP as it is; a PNG or JPEG made into a 512×512 WebP).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { SendStickerBody } from '@/lib/api/schemas/messages'
import { JSON_MEDIA_MAX_BODY_BYTES } from '@/lib/services/messages/media-input'
import { sendMessage } from '@/lib/services/messages/send'
import { readStickerInput } from '@/lib/services/messages/sticker-input'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SendStickerBody, maxBodyBytes: JSON_MEDIA_MAX_BODY_BYTES }, async ({ auth, body }) => {
    const { url, media } = await readStickerInput(body.sticker)
    const message = await sendMessage(
      { ...auth.instance, userId: auth.apiKey.userId },
      { to: body.number, content: { kind: 'sticker', url, quoted: body.quoted, mentions: body.mentions, mentionsEveryOne: body.mentionsEveryOne }, media, delayMs: body.delay, sendAt: body.sendAt, priority: body.priority },
    )
    return created(message)
  }),
})
