// POST /api/v1/instance/{name}/message/sendPoll – send a poll (2–12 options); votes come back as MESSAGES_UPDATE.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { SendPollBody } from '@/lib/api/schemas/messages'
import { sendMessage } from '@/lib/services/messages/send'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SendPollBody }, async ({ auth, body }) => {
    const message = await sendMessage(
      { ...auth.instance, userId: auth.apiKey.userId },
      { to: body.number, content: { kind: 'poll', name: body.name, values: body.values, selectableCount: body.selectableCount ?? 0, quoted: body.quoted, mentions: body.mentions, mentionsEveryOne: body.mentionsEveryOne }, delayMs: body.delay, sendAt: body.sendAt, priority: body.priority },
    )
    return created(message)
  }),
})
