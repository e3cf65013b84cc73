import { sqlClient } from '@/lib/db'

/** The channel the web tier NOTIFYs after writing work rows. The rows are the truth; this only wakes us. */
export const WORK_CHANNEL = 'sage_work'

export async function listenForWork(channel: string, onWake: (payload: string) => void) {
  const subscription = await sqlClient().listen(channel, onWake)
  return { stop: () => subscription.unlisten() }
}
