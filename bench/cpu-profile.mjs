// Preloaded with NODE_OPTIONS=--import (which, unlike --cpu-prof, NODE_OPTIONS allows): profiles the
// whole process and writes a .cpuprofile into BENCH_CPU_PROF when it exits.
import fs from 'node:fs'
import path from 'node:path'
import inspector from 'node:inspector'

const session = new inspector.Session()
session.connect()
session.post('Profiler.enable')
session.post('Profiler.setSamplingInterval', { interval: 200 })
session.post('Profiler.start')
process.on('exit', () => {
  // The in-process inspector session answers synchronously, so this completes inside 'exit'.
  session.post('Profiler.stop', (error, result) => {
    if (error) return
    const name = `${process.env.SAGE_SERVICE ?? 'process'}-${process.pid}.cpuprofile`
    fs.writeFileSync(path.join(process.env.BENCH_CPU_PROF, name), JSON.stringify(result.profile))
  })
})
