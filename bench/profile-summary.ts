// tsx bench/profile-summary.ts <file.cpuprofile> [top]: self time per function, heaviest first.
import fs from 'node:fs'

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
const [file, top = '30'] = process.argv.slice(2)
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] }
const selfTime = new Map<number, number>()
profile.samples.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)))
const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0)
const byFunction = new Map<string, number>()
const byPackage = new Map<string, number>()
for (const node of profile.nodes) {
  const time = selfTime.get(node.id) ?? 0
  const { functionName, url, lineNumber } = node.callFrame
  const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/main\//, '')}:${lineNumber + 1}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + time)
  const pkg = url.includes('node_modules/') ? url.replace(/^.*node_modules\//, '').split('/').slice(0, url.includes('node_modules/@') ? 2 : 1).join('/') : url ? (url.startsWith('node:') ? 'node:*' : 'app') : functionName
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + time)
}
const show = (map: Map<string, number>, count: number) =>
  [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).forEach(([key, time]) => console.log(`${((time / total) * 100).toFixed(1).padStart(5)}%  ${key}`))
console.log(`total ${(total / 1e6).toFixed(1)} s sampled\n-- by package --`)
show(byPackage, 15)
console.log('-- by function (self) --')
show(byFunction, Number(top))

// Inclusive time: each sample counts once for every distinct function on its stack.
const parent = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
const nodeById = new Map(profile.nodes.map((node) => [node.id, node]))
const inclusive = new Map<string, number>()
profile.samples.forEach((id, index) => {
  const seen = new Set<string>()
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const { functionName, url, lineNumber } = nodeById.get(at)!.callFrame
    if (!url || url.startsWith('node:')) continue
    seen.add(`${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/main\//, '')}:${lineNumber + 1}`)
  }
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0))
})
const filter = process.argv[4] ? new RegExp(process.argv[4]) : /./
console.log('-- by function (inclusive) --')
;[...inclusive.entries()].filter(([key]) => filter.test(key)).sort((a, b) => b[1] - a[1]).slice(0, Number(top)).forEach(([key, time]) => console.log(`${((time / total) * 100).toFixed(1).padStart(5)}%  ${key}`))
