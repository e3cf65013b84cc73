// First step of `npm test`: the browser tests under e2e/ drive Debian's Chromium, found where
// e2e/support/browser.ts launches it (CHROMIUM_PATH, else /usr/bin/chromium). Without it, say so
// in one line within the first second, instead of letting every browser test file fail at the end.
import fs from 'node:fs'

const DEFAULT_CHROMIUM = '/usr/bin/chromium'
const chromium = process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM

function isExecutableFile(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

if (!isExecutableFile(chromium)) {
  const where = process.env.CHROMIUM_PATH === undefined ? `${DEFAULT_CHROMIUM} is missing` : `CHROMIUM_PATH=${chromium} is not an executable file`
  console.error(`npm test needs Chromium for the browser tests (${where}): install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH to a Chromium binary.`)
  process.exit(1)
}
