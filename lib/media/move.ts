// `sage media:move-to-s3`: media kept in Postgres (before S3_BUCKET was set) copied to the bucket, row by row.
import 'server-only'
import { markMediaMoved, mediaInPostgres } from '@/lib/store/messages'
import { mediaBucket, mediaObjectKey, putMediaObject } from './bucket'
import { forgetMediaObjects } from './files'

export type MoveProgress = { moved: number; skipped: number }

/**
 * Uploads each file still in Postgres under its message's key, then points the row at the object and
 * drops its bytes. Each row is done on its own, so a run stopped anywhere (a crash, a bucket that
 * refuses: MediaStorageError) leaves every row whole, in Postgres or in the bucket; running it again
 * goes on with what is left (an object uploaded but not yet recorded is simply uploaded again).
 */
export async function moveMediaToBucket(options: { batch?: number; onBatch?: (progress: MoveProgress) => void } = {}): Promise<MoveProgress> {
  const bucket = mediaBucket()
  if (!bucket) throw new Error('S3_BUCKET is not set: there is no bucket to move media to.')
  const batch = options.batch ?? 20
  const progress: MoveProgress = { moved: 0, skipped: 0 }
  let after: string | null = null
  for (;;) {
    const files = await mediaInPostgres(batch, after)
    if (files.length === 0) return progress
    const outcomes = await Promise.allSettled(
      files.map(async (file) => {
        const key = mediaObjectKey({ userId: file.userId, instanceId: file.instanceId }, file.messageId)
        await putMediaObject(bucket, key, file.data, file.mimetype)
        if (await markMediaMoved(file.messageId, key)) {
          progress.moved += 1
        } else {
          // Pruned or moved by another run meanwhile: this copy belongs to no row.
          progress.skipped += 1
          await forgetMediaObjects([key])
        }
      }),
    )
    // Every upload of the batch has settled (and its row recorded) before a refusal ends the run.
    const refused = outcomes.find((outcome) => outcome.status === 'rejected')
    if (refused) throw refused.reason
    after = files.at(-1)!.messageId
    options.onBatch?.({ ...progress })
  }
}
