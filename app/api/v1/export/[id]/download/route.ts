// GET /api/v1/export/{id}/download – a ready background export as a JSON lines file, until it expires (account key).
import { accountKeyAuth } from '@/lib/api/account-key'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { downloadExport } from '@/lib/services/accounts/export-jobs'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: accountKeyAuth }, async ({ auth, params }) => downloadExport({ ctx: { userId: auth.apiKey.userId }, input: { id: params.id } })),
})
