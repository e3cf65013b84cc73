// POST /api/v1/instance/{name}/chat/findContacts – the contacts the instance knows, searchable, paged.
import { apiRoute } from '@/lib/api/handler'
import { dataPlaneAuth } from '@/lib/api/data-plane'
import { methods } from '@/lib/api/methods'
import { json } from '@/lib/api/responses'
import { FindContactsBody } from '@/lib/api/schemas/chats'
import { findContacts } from '@/lib/services/chats/find'

export const dynamic = 'force-dynamic'

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  POST: apiRoute({ auth: dataPlaneAuth, body: FindContactsBody }, async ({ auth, body }) => json(await findContacts(auth.instance, body))),
})
