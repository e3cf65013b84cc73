// GET /bench-noop – the floor for `npm run bench`: a route handler of the same server that does no work.
// Outside /api/v1 on purpose (it is not part of the API); answers 404 unless the server runs with SAGE_BENCH=1.
import { config } from '@/lib/config'

export const dynamic = 'force-dynamic'

export function GET(): Response {
  if (!config().SAGE_BENCH) return Response.json({ error: 'not_found', message: 'Not found.' }, { status: 404 })
  return Response.json({ ok: true })
}
