// Any /api path no route handles – our JSON 404 (the error format of /docs#errors) instead of Next's HTML page.
import { apiRoute, noAuth } from '@/lib/api/handler'
import { ApiError } from '@/lib/api/errors'

export const dynamic = 'force-dynamic'

const notFound = apiRoute({ auth: noAuth }, () => {
  throw new ApiError('not_found', 'No API route matches this path. See /docs for the endpoints.')
})

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE }
