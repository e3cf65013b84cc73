/** Where log-in goes afterwards: only same-site paths, since `//evil.example` and `/\evil` would leave the site. */
export function safeNextPath(value: unknown, fallback = '/instances'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback
  return value
}
