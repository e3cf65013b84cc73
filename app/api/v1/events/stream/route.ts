// GET /api/v1/events/stream – the event log as server-sent events, resuming after Last-Event-ID (or ?after=); live from there on. A key, or ?ticket= from a browser.
import { visibleInstanceIds } from '@/lib/api/account-key'
import { eventStreamAuth } from '@/lib/api/event-stream-auth'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { EventPosition, EventStreamQuery } from '@/lib/api/schemas/platform'
import { parseWith } from '@/lib/api/validation'
import { eventLogFilter } from '@/lib/services/events/event-log'
import { eventLogStream } from '@/lib/services/events/event-stream'
import { SSE_HEADERS } from '@/lib/services/instances/live-events'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: eventStreamAuth, query: EventStreamQuery }, async ({ auth, query, request }) => {
    const lastEventId = request.headers.get('last-event-id')
    const after = lastEventId !== null ? parseWith(EventPosition, lastEventId.trim(), 'query') : (query.after ?? 0)
    const filter = await eventLogFilter({ userId: auth.apiKey.userId, visibleInstanceIds: visibleInstanceIds(auth), instance: query.instance, types: query.types })
    return new Response(eventLogStream({ filter, after, signal: request.signal }), { headers: SSE_HEADERS })
  }),
})
