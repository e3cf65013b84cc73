// Control-API routes for groups: placeholder until implemented.
import type { Hub } from './hub.js'
import type { Route } from './control-api.js'

export function groupRoutes(_hub: Hub): Route[] {
  return []
}
