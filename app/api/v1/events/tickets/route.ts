// POST /api/v1/events/tickets – a single-use ticket (60 s) that opens the event stream from a browser: /api/v1/events/ws?ticket=… or /api/v1/events/stream?ticket=….
import { keyAuth } from '@/lib/api/data-plane'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { created } from '@/lib/api/responses'
import { mintStreamTicket } from '@/lib/services/events/stream-tickets'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: keyAuth }, async ({ auth }) => created(await mintStreamTicket(auth.apiKey.id))),
})
