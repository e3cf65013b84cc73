// POST /api/v1/instance/{name}/message/sendMedia – send an image, video, audio or document (URL, base64 or multipart file).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { readSendMediaRequest, resolveMedia } from '@/lib/services/messages/media-input'
import { sendMessage } from '@/lib/services/messages/send'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth }, async ({ auth, request }) => {
    const input = await readSendMediaRequest(request)
    const media = await resolveMedia(input)
    const { body } = input
    const message = await sendMessage(
      { ...auth.instance, userId: auth.apiKey.userId },
      {
        to: body.number,
        content: {
          kind: 'media',
          mediatype: body.mediatype,
          mimetype: media?.mimetype ?? body.mimetype ?? '',
          caption: body.caption,
          fileName: body.fileName,
          url: input.url,
          ptv: body.ptv,
          gif: body.gif,
          quoted: body.quoted, mentions: body.mentions, mentionsEveryOne: body.mentionsEveryOne,
        },
        media,
        delayMs: body.delay,
        sendAt: body.sendAt,
        priority: body.priority,
      },
    )
    return created(message)
  }),
})
