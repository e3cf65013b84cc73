// The dispatcher's group commit: batches form under load, keys stay apart, a bad item fails alone.
import { describe, expect, it } from 'vitest'
import { Batcher } from './batcher'

describe('Batcher', () => {
  it('serves everything added meanwhile with one flush, one flush at a time, never one key twice in a batch', async () => {
    const flushes: string[][] = []
    let running = 0
    const batcher = new Batcher<string, string>(
      async (items) => {
        running++
        expect(running).toBe(1)
        flushes.push(items)
        await new Promise((resolve) => setTimeout(resolve, 20))
        running--
        return items.map((item) => item.toUpperCase())
      },
      { maxSize: 3, key: (item) => item[0] },
    )
    const results = await Promise.all(['a1', 'b1', 'a2', 'c1', 'd1', 'e1'].map((item) => batcher.add(item)))
    expect(results).toEqual(['A1', 'B1', 'A2', 'C1', 'D1', 'E1'])
    expect(flushes).toEqual([['a1', 'b1', 'c1'], ['a2', 'd1', 'e1']])
  })

  it('a failing batch is tried item by item: only the bad item fails', async () => {
    const batcher = new Batcher<number, number>(
      async (items) => {
        if (items.includes(13)) throw new Error(`13 in ${items.length}`)
        return items.map((item) => item * 2)
      },
      { maxSize: 10 },
    )
    const settled = await Promise.allSettled([1, 13, 3].map((item) => batcher.add(item)))
    expect(settled.map((result) => (result.status === 'fulfilled' ? result.value : result.reason.message))).toEqual([2, '13 in 1', 6])
  })
})
