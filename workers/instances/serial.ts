/**
 * One drain at a time per key (an instance): a request while one runs schedules exactly one more
 * run after it, so nothing is missed and nothing runs twice concurrently.
 */
export class SerialDrains {
  private readonly running = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()

  constructor(private readonly onError: (error: unknown, key: string) => void) {}

  request(key: string, drain: () => Promise<void>): void {
    if (this.running.has(key)) {
      this.again.add(key)
      return
    }
    const run = drain()
      .catch((error) => this.onError(error, key))
      .finally(() => {
        this.running.delete(key)
        if (this.again.delete(key)) this.request(key, drain)
      })
    this.running.set(key, run)
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values())
  }
}
