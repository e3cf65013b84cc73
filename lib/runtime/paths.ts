import { fileURLToPath } from 'node:url'
import path from 'node:path'

/** Repository root, for code run by Node directly (launcher, CLI, worker, tests); not for Next bundles. */
export const projectRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
// SAGE_DATA_DIR moves it (read here, before any configuration is loaded): a test running `npm start`
// next to a developer's own keeps its lock, secrets and embedded database apart.
export const dataDir = process.env.SAGE_DATA_DIR ? path.resolve(process.env.SAGE_DATA_DIR) : path.join(projectRoot, '.data')
