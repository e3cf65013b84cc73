// Whether the Node.js running the service still gets security fixes, for the one-line warning
// `npm start` prints on a release that does not (README "Node.js versions", docs/node-versions.md).

/** The release line to run in production: the LTS that CI tests the whole suite on (.nvmrc). */
export const RECOMMENDED_NODE = 'Node.js 24 LTS'

/**
 * End-of-life dates of Node.js release lines, from the Node.js release schedule. Add a line when a
 * new major appears: a major newer than every line here is assumed supported, one older than every
 * line here has reached end of life.
 */
export const NODE_END_OF_LIFE: Readonly<Record<number, string>> = {
  18: '2025-04-30',
  19: '2023-06-01',
  20: '2026-04-30',
  21: '2024-06-01',
  22: '2027-04-30',
  23: '2025-06-01',
  24: '2028-04-30',
  25: '2026-06-01',
  26: '2029-04-30',
}

/** The warning for `version` (e.g. "20.20.2") on `today`, or null when that release is supported. */
export function endOfLifeWarning(version: string, today: Date): string | null {
  const major = Number(version.split('.')[0])
  const majors = Object.keys(NODE_END_OF_LIFE).map(Number)
  const endOfLife = NODE_END_OF_LIFE[major]
  let since: string
  if (endOfLife) {
    if (today.getTime() < Date.parse(`${endOfLife}T00:00:00Z`)) return null
    since = ` on ${endOfLife}`
  } else if (major < Math.min(...majors)) {
    since = ''
  } else {
    return null
  }
  return `[sage] Warning: Node.js ${version} reached end of life${since} and gets no more security fixes. Run SAGE-API on ${RECOMMENDED_NODE}.`
}

/** Printed once per `npm start`/`npm run demo`, by the launcher before it re-runs itself detached. */
export function warnIfEndOfLifeNode(): void {
  const warning = endOfLifeWarning(process.versions.node, new Date())
  if (warning) console.warn(warning)
}
