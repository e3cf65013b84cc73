// The background export as a graphile-worker task: the web tier queues it (lib/store/account-exports.ts),
// any worker's runner takes it once.
import type { Task } from 'graphile-worker'
import { buildExport } from '@/lib/exports/build'
import type { Logger } from '@/lib/log'
import { EXPORT_TASK } from '@/lib/store/account-exports'

export function exportTasks(log: Logger): Record<string, Task> {
  const exportLog = log.child({ component: 'exports' })
  return { [EXPORT_TASK]: async (payload) => buildExport(String((payload as { exportId: string }).exportId), exportLog) }
}
