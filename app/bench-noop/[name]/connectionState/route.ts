// GET /bench-noop/{name}/connectionState – a second floor for `npm run bench` (section 1): a route
// handler that does no work, at a path with a dynamic segment like the API's, so the bench can tell
// what Next.js's own handling of a dynamic route costs from what our key check adds. Outside /api/v1
// on purpose; answers 404 unless the server runs with SAGE_BENCH=1, as GET /bench-noop does.
import { config } from '@/lib/config'

export const dynamic = 'force-dynamic'

export function GET(): Response {
  if (!config().SAGE_BENCH) return Response.json({ error: 'not_found', message: 'Not found.' }, { status: 404 })
  return Response.json({ ok: true })
}
