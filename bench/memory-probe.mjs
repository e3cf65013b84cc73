// Preloaded into the bench's worker (NODE_OPTIONS=--import, bench/stack.ts): when section 4 drops a
// `gc-<pid>` file into BENCH_MEMORY_DIR, the process collects garbage and writes its memory figures
// to `memory-<pid>.json` there, so the heap an idle instance holds is read without a snapshot.
import fs from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'

const dir = process.env.BENCH_MEMORY_DIR
if (dir) {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc')
  const request = path.join(dir, `gc-${process.pid}`)
  setInterval(() => {
    if (!fs.existsSync(request)) return
    fs.rmSync(request, { force: true })
    const rssBefore = process.memoryUsage.rss()
    gc()
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage()
    fs.writeFileSync(path.join(dir, `memory-${process.pid}.json.tmp`), JSON.stringify({ rssBefore, rss, heapUsed, external, arrayBuffers }))
    fs.renameSync(path.join(dir, `memory-${process.pid}.json.tmp`), path.join(dir, `memory-${process.pid}.json`))
  }, 500).unref()
}
