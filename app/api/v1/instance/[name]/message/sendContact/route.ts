// POST /api/v1/instance/{name}/message/sendContact – send one contact card, or several as a list.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { SendContactBody } from '@/lib/api/schemas/messages'
import { vcardOf } from '@/lib/messages/content'
import { sendMessage } from '@/lib/services/messages/send'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: SendContactBody }, async ({ auth, body }) => {
    const contacts = body.contact.map((contact) => ({ displayName: contact.fullName, vcard: vcardOf(contact) }))
    const message = await sendMessage({ ...auth.instance, userId: auth.apiKey.userId }, { to: body.number, content: { kind: 'contacts', contacts, quoted: body.quoted, mentions: body.mentions, mentionsEveryOne: body.mentionsEveryOne }, delayMs: body.delay, sendAt: body.sendAt, priority: body.priority })
    return created(message)
  }),
})
