#!/usr/bin/env node
// The `sage` operator CLI: re-runs Node with tsx and the react-server condition (lib/ is server-only).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('../scripts/sage.ts', import.meta.url))
const child = spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: fileURLToPath(new URL('..', import.meta.url)),
})
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
