// GET /api/v1/export – the account's instances, contacts, chats and messages as a JSON lines download, streamed now;
// POST /api/v1/export – the same built in the background, for big accounts (account key).
import { accountKeyAuth } from '@/lib/api/account-key'
import { apiRoute } from '@/lib/api/handler'
import { methods } from '@/lib/api/methods'
import { findUserById } from '@/lib/services/accounts/users'
import { ApiError } from '@/lib/api/errors'
import { exportDownload } from '@/lib/services/accounts/export'
import { requestExport } from '@/lib/services/accounts/export-jobs'
import { json } from '@/lib/api/responses'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: apiRoute({ auth: accountKeyAuth }, async ({ auth }) => {
    const user = await findUserById(auth.apiKey.userId)
    if (!user) throw new ApiError('unauthorized', 'The account of this key no longer exists.')
    return exportDownload({ userId: user.id, email: user.email })
  }),
  POST: apiRoute({ auth: accountKeyAuth }, async ({ auth }) => json(await requestExport({ ctx: { userId: auth.apiKey.userId }, paths: 'api' }), 202)),
})
