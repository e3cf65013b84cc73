// GET /bench-noop/{name}/connectionState – a second floor for `npm run bench` (section 1): the same
// do-nothing handler as GET /bench-noop, at a path with a dynamic segment like the API's, so the bench
// can tell what Next.js's own handling of a dynamic route costs from what our key check adds. Outside
// /api/v1 on purpose; 404 unless the server runs with SAGE_BENCH=1.
export { GET } from '@/app/bench-noop/route'

export const dynamic = 'force-dynamic'
