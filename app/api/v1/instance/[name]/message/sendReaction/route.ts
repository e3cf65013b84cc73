// POST /api/v1/instance/{name}/message/sendReaction – react to a message with an emoji ("" removes it).
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { SendReactionBody } from '@/lib/api/schemas/messages'
import { sendMessage } from '@/lib/services/messages/send'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SendReactionBody }, async ({ auth, body }) => {
    const message = await sendMessage(
      { ...auth.instance, userId: auth.apiKey.userId },
      { to: body.key.remoteJid.replace(/@s\.whatsapp\.net$/, ''), content: { kind: 'reaction', key: body.key, text: body.reaction }, sendAt: body.sendAt, priority: body.priority },
    )
    return created(message)
  }),
})
