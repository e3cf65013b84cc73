// npm start: local secrets, Postgres (embedded unless DATABASE_URL), migrations, build, web + one worker.
import { runService } from '@/lib/runtime/service'

await runService()
