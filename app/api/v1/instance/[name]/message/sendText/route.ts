// POST /api/v1/instance/{name}/message/sendText – send a text message.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { SendTextBody } from '@/lib/api/schemas/messages'
import { sendMessage } from '@/lib/services/messages/send'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SendTextBody }, async ({ auth, body }) => {
    const message = await sendMessage(
      { ...auth.instance, userId: auth.apiKey.userId },
      { to: body.number, content: { kind: 'text', text: body.text, linkPreview: body.linkPreview, quoted: body.quoted, mentions: body.mentions, mentionsEveryOne: body.mentionsEveryOne }, delayMs: body.delay, sendAt: body.sendAt, priority: body.priority },
    )
    return created(message)
  }),
})
