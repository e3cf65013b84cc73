// Summarises a V8 heap snapshot (BENCH_HEAP_SNAPSHOT, bench/stack.ts) by constructor: count and self
// size. Given two, prints what grew between them, per extra instance when `per` says how many.
//   npx tsx bench/heap-summary.ts <file> [top]
//   npx tsx bench/heap-summary.ts <before> <after> [top] [per]
import fs from 'node:fs'

type Snapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }
  nodes: number[]
  strings: string[]
}
type Totals = Map<string, { count: number; size: number }>

function totalsOf(file: string): { totals: Totals; heap: number } {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot
  const fields = data.snapshot.meta.node_fields
  const types = data.snapshot.meta.node_types[0]
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field))
  const totals: Totals = new Map()
  let heap = 0
  for (let i = 0; i < data.nodes.length; i += fields.length) {
    const type = types[data.nodes[i + typeAt]]
    const size = data.nodes[i + sizeAt]
    heap += size
    // Strings, numbers and code are grouped by type; objects and closures by constructor or function name.
    const name = ['object', 'closure', 'native', 'hidden'].includes(type) ? `${type} ${data.strings[data.nodes[i + nameAt]].slice(0, 60)}` : `(${type})`
    const entry = totals.get(name) ?? { count: 0, size: 0 }
    entry.count++
    entry.size += size
    totals.set(name, entry)
  }
  return { totals, heap }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const [first, second, ...rest] = process.argv.slice(2)
if (!second || /^\d+$/.test(second)) {
  const { totals, heap } = totalsOf(first)
  console.log(`heap ${kb(heap)}`)
  for (const [name, { count, size }] of [...totals].sort((a, b) => b[1].size - a[1].size).slice(0, Number(second ?? 40))) console.log(`${kb(size).padStart(12)} ${String(count).padStart(9)}  ${name}`)
} else {
  const [top = '40', per = '1'] = rest
  const before = totalsOf(first)
  const after = totalsOf(second)
  const divisor = Number(per)
  console.log(`heap ${kb(before.heap)} → ${kb(after.heap)}: ${kb((after.heap - before.heap) / divisor)} per unit (÷ ${divisor})`)
  const grown = [...after.totals].map(([name, { count, size }]) => {
    const old = before.totals.get(name) ?? { count: 0, size: 0 }
    return { name, count: (count - old.count) / divisor, size: (size - old.size) / divisor }
  })
  for (const { name, count, size } of grown.sort((a, b) => b.size - a.size).slice(0, Number(top))) console.log(`${kb(size).padStart(12)} ${count.toFixed(1).padStart(9)}  ${name}`)
}
