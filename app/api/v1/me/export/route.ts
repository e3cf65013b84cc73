// GET /api/v1/me/export – the signed-in account's data as a JSON lines download (the settings page's "Download export").
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { sessionAuth } from '@/lib/auth/session-auth'
import { exportDownload } from '@/lib/services/accounts/export'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: sessionAuth }, async ({ auth }) => exportDownload(auth)),
})
