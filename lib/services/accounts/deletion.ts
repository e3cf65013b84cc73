import 'server-only'
import { ApiError } from '@/lib/api/errors'
import { verifyPassword } from '@/lib/auth/password'
import { config } from '@/lib/config'
import { sendEmailOrLog } from '@/lib/email/send'
import { accountDeletedEmail } from '@/lib/email/templates'
import { log } from '@/lib/log'
import { deleteUser, findUserById } from '@/lib/store/accounts'
import { listForAccount } from '@/lib/store/instances'
import { pruneAccountEventsBatch } from '@/lib/store/events'
import { pruneMessagesBatch } from '@/lib/store/messages'
import { deleteInBatches, withObjectsForgotten } from '@/lib/retention/prune'
import { eraseAccountMedia } from '@/lib/media/files'
import { listForAccount as listKeys } from '@/lib/store/api-keys'
import { forgetRateLimitBuckets } from '@/lib/ratelimit/postgres'
import { deleteInstance } from '@/lib/services/instances/instances'
import type { User } from './users'

const ERASE_BATCH = 1000

/**
 * The dashboard's "Delete account": the account's email typed again and its password, then
 * everything goes (eraseAccount). Each refusal names its field (400 invalid_request).
 */
export async function deleteOwnAccount({ ctx, input }: { ctx: { userId: string }; input: { email: string; password: string } }): Promise<void> {
  const user = await findUserById(ctx.userId)
  if (!user) throw new ApiError('unauthorized', 'This account no longer exists.')
  const details = []
  if (input.email.trim().toLowerCase() !== user.email) {
    details.push({ field: 'email', message: `Type your account's email, ${user.email}, to confirm.` })
  }
  // Checked even when the email is wrong, so the answer takes as long either way.
  const passwordMatches = input.password !== '' && (await verifyPassword(input.password, user.passwordHash))
  if (!passwordMatches) details.push({ field: 'password', message: 'That is not your password.' })
  if (details.length > 0) throw new ApiError('invalid_request', 'The account was not deleted.', details)
  await eraseAccount(user)
}

/**
 * Deletes the account and everything of it (the dashboard after its confirmation, and `sage user:delete`).
 * The bulk (events, each instance's messages) goes first in batches, as retention prunes, so the final
 * cascade is small and no statement runs long. Then each instance through deleteInstance, which logs a
 * paired or held one out from WhatsApp, so no phone keeps a linked device for an account that is gone;
 * then the account's row, which every other table of the account follows (lib/store/accounts.ts
 * deleteUser), after every media object under the account's prefix in the bucket. Last, the confirmation email.
 */
export async function eraseAccount(user: User): Promise<void> {
  await deleteInBatches(() => pruneAccountEventsBatch(user.id, 0, ERASE_BATCH), ERASE_BATCH)
  for (const instance of await listForAccount(user.id)) {
    await deleteInBatches(() => withObjectsForgotten(pruneMessagesBatch(instance.id, 0, ERASE_BATCH)), ERASE_BATCH)
    try {
      await deleteInstance({ ctx: { userId: user.id }, input: { name: instance.name } })
    } catch (error) {
      // Deleted meanwhile (another tab, the API): nothing left to log out.
      if (!(error instanceof ApiError && error.code === 'instance_not_found')) throw error
    }
  }
  // The built-in limiter's counters are keyed by the key (lib/api/data-plane.ts), not the account.
  const keyBuckets = (await listKeys(user.id, { includeRevoked: true })).map((key) => `key:${key.id}`)
  // Every object under the account's prefix, whichever row (or none: an upload whose send was never
  // recorded) it belonged to. Before the account's row: a bucket that refuses leaves the account
  // there to delete again.
  await eraseAccountMedia(user.id)
  await deleteUser(user.id)
  // Once more: a download a worker was storing while the first sweep ran lands after it.
  await eraseAccountMedia(user.id).catch((error) => log.warn({ err: error, userId: user.id }, 'second sweep of the account’s media objects failed; some may remain'))
  await forgetRateLimitBuckets(keyBuckets)
  log.info({ userId: user.id }, 'account deleted')
  await sendEmailOrLog(accountDeletedEmail(user.email, { signUp: new URL('/signup', config().APP_URL).toString() }), { userId: user.id })
}
