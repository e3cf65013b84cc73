import type { Metadata, Viewport } from 'next'
import localFont from 'next/font/local'
import './globals.css'

const inter = localFont({
  src: '../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2',
  variable: '--font-inter',
  display: 'swap',
})

export const metadata: Metadata = {
  title: { default: 'SAGE-API — WhatsApp messaging API that simply works', template: '%s · SAGE-API' },
  description: 'Send and receive WhatsApp messages from your application through one REST API, with signed webhooks.',
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#059669' }

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  )
}
