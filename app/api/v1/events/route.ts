// GET /api/v1/events?after=&instance=&types=&limit= – the replayable event log, one page (any key: an instance key sees its instances' events).
import { visibleInstanceIds } from '@/lib/api/account-key'
import { keyAuth } from '@/lib/api/data-plane'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { EventListQuery } from '@/lib/api/schemas/platform'
import { eventLogFilter, readEventLog } from '@/lib/services/events/event-log'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: keyAuth, query: EventListQuery }, async ({ auth, query }) => {
    const filter = await eventLogFilter({ userId: auth.apiKey.userId, visibleInstanceIds: visibleInstanceIds(auth), instance: query.instance, types: query.types })
    return json(await readEventLog(filter, { after: query.after ?? 0, limit: query.limit ?? 100 }))
  }),
})
