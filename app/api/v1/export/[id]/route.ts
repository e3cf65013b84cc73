// GET /api/v1/export/{id} – a background export's status and progress, and its download URL once ready (account key).
import { accountKeyAuth } from '@/lib/api/account-key'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { getExport } from '@/lib/services/accounts/export-jobs'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: accountKeyAuth }, async ({ auth, params }) => json(await getExport({ ctx: { userId: auth.apiKey.userId }, input: { id: params.id }, paths: 'api' }))),
})
