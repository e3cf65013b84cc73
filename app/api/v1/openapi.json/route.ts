// GET /api/v1/openapi.json – the OpenAPI 3.1 document of this API, generated from the schemas the routes validate with.
import { apiRoute, noAuth } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { config } from '@/lib/config'
import { openApiDocument } from '@/lib/api/openapi/document'

export const dynamic = 'force-dynamic'

let document: ReturnType<typeof openApiDocument> | undefined

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: noAuth }, () => {
    document ??= openApiDocument(config().APP_URL)
    return json(document, 200, { 'Cache-Control': 'public, max-age=300', 'Access-Control-Allow-Origin': '*' })
  }),
})
