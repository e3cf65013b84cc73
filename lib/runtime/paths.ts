import { fileURLToPath } from 'node:url'
import path from 'node:path'

/** Repository root, for code run by Node directly (launcher, CLI, worker, tests); not for Next bundles. */
export const projectRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
export const dataDir = path.join(projectRoot, '.data')
