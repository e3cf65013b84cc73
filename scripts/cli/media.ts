import type { Command } from './command'

export const mediaMoveCommand: Command = {
  name: 'media:move-to-s3',
  usage: 'sage media:move-to-s3',
  summary: 'Move media kept in Postgres to the S3_BUCKET bucket; resumable, safe to run again.',
  needsDatabase: true,
  run: async (_values, output) => {
    const { moveMediaToBucket } = await import('@/lib/media/move')
    const { MediaStorageError } = await import('@/lib/media/bucket')
    try {
      const done = await moveMediaToBucket({ onBatch: (progress) => output.info(`… ${progress.moved} moved so far`) })
      output.info(`Moved ${done.moved} media files to the bucket${done.skipped ? ` (${done.skipped} were pruned or moved meanwhile)` : ''}; none is left in Postgres.`)
    } catch (error) {
      if (error instanceof MediaStorageError) throw new Error(`${error.message} What was moved stays moved; run the command again to go on.`)
      throw error
    }
  },
}
