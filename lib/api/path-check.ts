import { containsNul, NUL_MESSAGE } from './validation'

/**
 * Why a request path cannot be routed, or null. Next.js decodes path segments before any route
 * handler runs and answers an undecodable one with a plain-text 500, so proxy.ts asks this first;
 * apiRoute asks it of the decoded params too (a %00 decodes fine but no name or id holds a NUL).
 */
export function rawPathProblem(pathname: string): string | null {
  for (const segment of pathname.split('/')) {
    let decoded: string
    try {
      decoded = decodeURIComponent(segment)
    } catch {
      return `The path segment "${segment}" is not valid percent-encoded UTF-8`
    }
    if (containsNul(decoded)) return `A path segment ${NUL_MESSAGE}`
  }
  return null
}

/** The decoded params that hold a NUL, as error details. */
export function paramProblems(params: Record<string, string>): { field: string; message: string }[] {
  return Object.entries(params)
    .filter(([, value]) => containsNul(value))
    .map(([name]) => ({ field: name, message: NUL_MESSAGE }))
}
