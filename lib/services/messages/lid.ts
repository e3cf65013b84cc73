import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { lidOfNumber, numberOfLid } from '@/lib/messages/lid-mapping'

type Instance = { id: string; name: string }

/**
 * GET chat/lid: the other identity of a contact, from what the instance has learnt (its stored LID
 * mapping), so it answers also while the instance is disconnected.
 */
export async function resolveLid(instance: Instance, query: { number?: string; lid?: string }): Promise<{ number: string; jid: string; lid: string }> {
  if (query.number !== undefined) {
    const lidUser = await lidOfNumber(instance.id, query.number)
    if (!lidUser) throw new ApiError('not_found', `This instance has not learnt the LID of ${query.number}.`)
    return { number: query.number, jid: `${query.number}@s.whatsapp.net`, lid: `${lidUser}@lid` }
  }
  const lid = query.lid ?? ''
  const number = await numberOfLid(instance.id, lid.split('@')[0])
  if (!number) throw new ApiError('not_found', `This instance has not learnt the phone number of ${lid}.`)
  return { number, jid: `${number}@s.whatsapp.net`, lid }
}
