import { Logo } from '@/components/logo'

const points = [
  'Pair a number by scanning one QR code',
  'Send text, media, locations and contacts over REST',
  'Signed webhooks for every message and receipt',
]

/** Sign-up, log-in and the email-link pages: the form on the left, the product on the right (desktop). */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen">
      <div className="flex flex-1 flex-col px-4 py-6 sm:px-6 lg:px-12">
        <Logo />
        <main id="main-content" tabIndex={-1} className="mx-auto flex focus:outline-none w-full max-w-sm flex-1 flex-col justify-center py-10">{children}</main>
        <p className="text-center text-xs text-slate-400 lg:text-left">© SAGE-API</p>
      </div>
      <aside className="palette-fixed relative hidden w-[44%] max-w-2xl overflow-hidden bg-slate-900 lg:flex lg:flex-col lg:justify-center lg:px-14">
        <div aria-hidden className="absolute -right-24 -top-24 size-96 rounded-full bg-brand-600/20 blur-3xl" />
        <div aria-hidden className="absolute -bottom-32 -left-16 size-96 rounded-full bg-brand-500/10 blur-3xl" />
        <div className="relative">
          <p className="text-sm font-medium text-brand-500">WhatsApp API for developers</p>
          <h2 className="mt-3 text-3xl font-semibold leading-tight tracking-tight text-white">One REST API for every WhatsApp conversation.</h2>
          <ul className="mt-8 space-y-4">
            {points.map((point) => (
              <li key={point} className="flex items-start gap-3 text-slate-300">
                <span aria-hidden className="mt-1 grid size-5 shrink-0 place-items-center rounded-full bg-brand-600/20 text-brand-500">
                  <svg viewBox="0 0 16 16" className="size-3" fill="none" stroke="currentColor" strokeWidth="2.5">
                    <path d="m3.5 8.5 3 3 6-7" strokeLinecap="round" strokeLinejoin="round" />
                  </svg>
                </span>
                {point}
              </li>
            ))}
          </ul>
          <pre className="mt-10 overflow-x-auto rounded-xl bg-slate-950/70 p-4 text-xs leading-relaxed text-emerald-200 ring-1 ring-white/10">
            <code>{`POST /api/v1/instance/acme-prod/message/sendText
Authorization: Bearer sage_kf3hJ2...XYz

{ "number": "919876543210",
  "text": "Your order has shipped!" }`}</code>
          </pre>
        </div>
      </aside>
    </div>
  )
}
