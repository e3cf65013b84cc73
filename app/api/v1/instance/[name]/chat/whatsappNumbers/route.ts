// POST /api/v1/instance/{name}/chat/whatsappNumbers – which numbers have WhatsApp.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { WhatsappNumbersBody } from '@/lib/api/schemas/messages'
import { checkNumbers } from '@/lib/services/messages/chat'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: WhatsappNumbersBody }, async ({ auth, body }) => json(await checkNumbers(auth.instance, body.numbers))),
})
