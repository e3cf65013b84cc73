// GET /api/v1/me/exports/{id}/download – the signed-in account's ready background export (the Settings page's link).
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { sessionAuth } from '@/lib/auth/session-auth'
import { downloadExport } from '@/lib/services/accounts/export-jobs'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: sessionAuth }, async ({ auth, params }) => downloadExport({ ctx: auth, input: { id: params.id } })),
})
