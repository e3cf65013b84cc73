// Persists the world as one JSON file. Writes are coalesced because a single
// send touches several records (sessions, inbox, pre-keys).
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { emptyWorld, type WorldState } from './state.js'

export class WorldStore {
  readonly state: WorldState
  private timer?: NodeJS.Timeout
  private readonly file?: string

  constructor(dataDir?: string) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true })
      this.file = join(dataDir, 'world.json')
    }
    this.state = this.file && existsSync(this.file)
      ? { ...emptyWorld(), ...(JSON.parse(readFileSync(this.file, 'utf8')) as WorldState) }
      : emptyWorld()
  }

  /** How long the last write took: a big world (1,000 accounts with their pre-keys is ~50 MB) is written less often. */
  private lastFlushMs = 0

  changed(): void {
    if (!this.file || this.timer) return
    // At most ~5% of the simulator's one thread goes to persisting; a small world still flushes within 50 ms.
    this.timer = setTimeout(() => this.flush(), Math.max(50, this.lastFlushMs * 20))
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (!this.file) return
    const startedAt = performance.now()
    // write-then-rename so a crash mid-write never leaves a truncated world
    const tmp = `${this.file}.tmp`
    writeFileSync(tmp, JSON.stringify(this.state))
    renameSync(tmp, this.file)
    this.lastFlushMs = performance.now() - startedAt
  }
}
