import { createHash, timingSafeEqual } from 'node:crypto'

export type MetricsAccess = 'not_configured' | 'unauthorized' | 'allowed'

/** Who may scrape: nobody when METRICS_TOKEN is unset (the endpoint does not exist), else `Authorization: Bearer <METRICS_TOKEN>`. */
export function metricsAccess(configured: string | undefined, authorization: string | null | undefined): MetricsAccess {
  if (!configured) return 'not_configured'
  const presented = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : ''
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return presented && timingSafeEqual(digest(presented), digest(configured)) ? 'allowed' : 'unauthorized'
}
