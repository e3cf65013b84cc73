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
      <body className="min-h-screen font-sans">
        {/* The first stop of the Tab key: past the navigation, to the page's own content (every layout's <main id="main-content">). */}
        <a
          href="#main-content"
          className="sr-only z-50 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white focus:not-sr-only focus:fixed focus:left-3 focus:top-3"
        >
          Skip to content
        </a>
        {children}
      </body>
    </html>
  )
}
