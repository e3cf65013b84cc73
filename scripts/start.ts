// npm start: local secrets, Postgres (embedded unless DATABASE_URL), migrations, build, web + one worker,
// and the sandbox service (scripts/sandbox-service.ts).
import { runService } from '@/lib/runtime/service'
import type { SandboxService } from '@/simulator/index'
import { startLocalSandbox } from './sandbox-service'

let sandbox: SandboxService | undefined

await runService({
  beforeStart: async () => {
    sandbox = await startLocalSandbox()
  },
  afterStop: async () => {
    await sandbox?.stop()
  },
})
