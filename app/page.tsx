import Link from 'next/link'
import { LogInSignUpLinks } from '@/components/log-in-sign-up-links'
import { Logo } from '@/components/logo'

const features = [
  { title: 'Pairing that works the first time', body: 'A live QR code that refreshes by itself, or link with a pairing code. No loops, no dead images.' },
  { title: 'Sessions that survive restarts', body: 'Credentials live encrypted in Postgres. Deploys, crashes and failovers reconnect without a new QR.' },
  { title: 'Nothing lost, nothing twice', body: 'Every send goes through a durable outbox with Idempotency-Key support. A crash never duplicates a message.' },
  { title: 'Webhooks you can trust', body: 'Signed with a timestamped HMAC, retried for a day, and logged delivery by delivery, with one-click resend.' },
  { title: 'Keys stored as hashes', body: 'API keys are shown once and kept only as SHA-256 hashes, with per-key rate limits, IP allowlists and instance pinning.' },
  { title: 'Docs that match the code', body: 'The API reference and OpenAPI document are generated from the same schemas that validate your requests.' },
]

const sample = `curl -X POST https://your-sage-host/api/v1/instance/acme-prod/message/sendText \\
  -H "Authorization: Bearer sage_kf3hJ2...XYz" \\
  -H "Content-Type: application/json" \\
  -d '{"number": "919876543210", "text": "Hello from SAGE-API!"}'`

export default function LandingPage() {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-slate-200 bg-white/80 backdrop-blur">
        <div className="mx-auto flex max-w-6xl items-center justify-between px-4 py-3 sm:px-6">
          <Logo />
          <nav className="flex items-center gap-2 text-sm sm:gap-4">
            <Link href="/docs" className="hidden rounded-md px-3 py-2 text-slate-600 hover:text-slate-900 sm:inline">
              Docs
            </Link>
            <LogInSignUpLinks />
          </nav>
        </div>
      </header>

      <main id="main-content" tabIndex={-1} className="flex-1 focus:outline-none">
        <section className="mx-auto grid max-w-6xl grid-cols-1 items-center gap-10 px-4 py-16 sm:px-6 lg:grid-cols-2 lg:py-24">
          <div className="min-w-0">
            <p className="mb-4 inline-flex items-center gap-2 rounded-full bg-brand-50 px-3 py-1 text-xs font-medium text-brand-700 ring-1 ring-brand-100">
              <span className="size-1.5 rounded-full bg-brand-500" /> WhatsApp API for developers
            </p>
            <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
              Send and receive WhatsApp messages through one REST API.
            </h1>
            <p className="mt-5 text-lg leading-relaxed text-slate-600">
              SAGE-API handles instance lifecycle, message routing and webhook delivery. Authenticate with one key, call simple
              HTTP endpoints, and get signed webhooks for everything that happens.
            </p>
            <div className="mt-8 flex flex-wrap gap-3">
              <Link href="/signup" className="rounded-lg bg-brand-600 px-5 py-3 font-medium text-white shadow-sm hover:bg-brand-700">
                Create a free account
              </Link>
              <Link href="/docs" className="rounded-lg bg-white px-5 py-3 font-medium text-slate-800 shadow-sm ring-1 ring-slate-200 hover:bg-slate-50">
                Read the API docs
              </Link>
            </div>
          </div>
          <div className="palette-fixed min-w-0 overflow-hidden rounded-xl bg-slate-900 shadow-xl ring-1 ring-slate-800">
            <div className="flex items-center gap-1.5 border-b border-slate-800 px-4 py-3">
              <span className="size-2.5 rounded-full bg-slate-700" />
              <span className="size-2.5 rounded-full bg-slate-700" />
              <span className="size-2.5 rounded-full bg-slate-700" />
              <span className="ml-3 text-xs text-slate-400">Send your first message</span>
            </div>
            <pre className="overflow-x-auto p-4 text-xs leading-relaxed text-emerald-200 sm:text-sm">
              <code>{sample}</code>
            </pre>
            <pre className="overflow-x-auto border-t border-slate-800 p-4 text-xs leading-relaxed text-slate-300 sm:text-sm">
              <code>{`HTTP/1.1 201 Created\n{ "key": { "remoteJid": "919876543210@s.whatsapp.net", "fromMe": true, "id": "3EB0…" },\n  "status": "SERVER_ACK" }`}</code>
            </pre>
          </div>
        </section>

        <section className="border-t border-slate-200 bg-white">
          <div className="mx-auto max-w-6xl px-4 py-16 sm:px-6">
            <h2 className="text-2xl font-semibold tracking-tight">Built to simply work</h2>
            <div className="mt-8 grid gap-6 sm:grid-cols-2 lg:grid-cols-3">
              {features.map((feature) => (
                <div key={feature.title} className="rounded-xl border border-slate-200 p-5">
                  <h3 className="font-medium text-slate-900">{feature.title}</h3>
                  <p className="mt-2 text-sm leading-relaxed text-slate-600">{feature.body}</p>
                </div>
              ))}
            </div>
          </div>
        </section>
      </main>

      <footer className="border-t border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-6 text-sm text-slate-500 sm:px-6">
          <span>© SAGE-API</span>
          <Link href="/api/v1/status" className="hover:text-slate-800">
            System status
          </Link>
        </div>
      </footer>
    </div>
  )
}
