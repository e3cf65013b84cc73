/**
 * Group commit for the dispatcher's statements: concurrent deliveries hand their item to `add`, and
 * one statement serves everything that arrived while the previous one ran (or within the same turn
 * of the event loop). One flush runs at a time, so under load batches grow by themselves and at
 * rest an item waits for nothing but its own statement.
 *
 * Items with the same `key` never share a batch: the later one waits for the next flush (two
 * attempts of one delivery must be applied one after the other). A batch that fails is tried again
 * item by item, so an item fails only for its own reason, as it would without batching.
 */
export class Batcher<In, Out> {
  private waiting: { item: In; resolve: (value: Out) => void; reject: (error: unknown) => void }[] = []
  private flushing = false
  private scheduled = false

  constructor(
    private readonly flush: (items: In[]) => Promise<Out[]>,
    private readonly options: { maxSize: number; key?: (item: In) => string },
  ) {}

  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject })
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return
    this.scheduled = true
    // The rest of this turn's items join the batch.
    setImmediate(() => {
      this.scheduled = false
      void this.run()
    })
  }

  private async run(): Promise<void> {
    if (this.flushing || this.waiting.length === 0) return
    this.flushing = true
    const batch = this.take()
    try {
      const results = await this.flush(batch.map((entry) => entry.item))
      batch.forEach((entry, index) => entry.resolve(results[index]))
    } catch (error) {
      if (batch.length === 1) batch[0].reject(error)
      // One bad item (or a blip) must not fail its neighbours: each is tried again on its own.
      else await Promise.all(batch.map((entry) => this.flush([entry.item]).then(([result]) => entry.resolve(result), entry.reject)))
    } finally {
      this.flushing = false
      if (this.waiting.length) void this.run()
    }
  }

  private take() {
    const batch: typeof this.waiting = []
    const rest: typeof this.waiting = []
    const keys = new Set<string>()
    for (const entry of this.waiting) {
      const key = this.options.key?.(entry.item)
      if (batch.length >= this.options.maxSize || (key !== undefined && keys.has(key))) rest.push(entry)
      else {
        if (key !== undefined) keys.add(key)
        batch.push(entry)
      }
    }
    this.waiting = rest
    return batch
  }
}
