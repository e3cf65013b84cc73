// /docs: the API reference, public. Generated from the endpoint registry and the schemas the routes
// validate with; signed-in visitors see their own instance names and key prefix in the examples.
import type { Metadata } from 'next'
import Link from 'next/link'
import { LogInSignUpLinks } from '@/components/log-in-sign-up-links'
import { Logo } from '@/components/logo'
import { DocsSearch } from '@/components/docs/docs-search'
import { TryItKeyProvider } from '@/components/docs/try-it'
import { config } from '@/lib/config'
import { currentUser } from '@/lib/auth/session'
import { defaultInstance } from '@/lib/instances/default-instance'
import { listInstances } from '@/lib/services/instances/instances'
import { listApiKeys } from '@/lib/services/keys/keys'
import { ENDPOINTS, GROUPS, PLACEHOLDER_CONTEXT, type Endpoint } from '@/lib/api/openapi/registry'
import type { GroupId } from '@/lib/api/openapi/types'
import { EndpointSection } from './endpoint-section'
import { Authentication, Errors, GettingStarted, Idempotency, KeepingYourNumberSafe, MessageStatuses, RateLimits, TestInCi, Webhooks } from './guides'
import { InstancePicker } from './instance-picker'
import { MethodBadge, Prose, SectionHeading } from './prose'

export const metadata: Metadata = { title: 'API docs' }
export const dynamic = 'force-dynamic'

const SEED_KEY = 'sage_kf3hJ2...XYz'

const GROUP_ANCHORS: Record<GroupId, string> = {
  messages: 'messages',
  chat: 'chat',
  groups: 'groups',
  sandbox: 'sandbox',
  instance: 'instance',
  webhooks: 'webhook-endpoints',
  platform: 'platform',
  events: 'event-log',
  account: 'account',
  system: 'system-status',
}

const GUIDE_LINKS = [
  { href: '#getting-started', label: 'Getting started' },
  { href: '#authentication', label: 'Authentication' },
  { href: '#rate-limits', label: 'Rate limits' },
  { href: '#idempotency', label: 'Idempotency' },
  { href: '#keeping-your-number-safe', label: 'Keeping your number safe' },
  { href: '#test-in-ci', label: 'Test your integration in CI' },
]

const ORDER: (GroupId | 'receive-webhooks')[] = ['messages', 'chat', 'groups', 'instance', 'sandbox', 'receive-webhooks', 'webhooks', 'events', 'platform', 'account', 'system']

const SEARCH_ENTRIES = ENDPOINTS.map(({ id, method, summary, path }) => ({ id, method, summary, path }))

function endpointsOf(group: GroupId): Endpoint[] {
  return ENDPOINTS.filter((endpoint) => endpoint.group === group)
}

async function visitor(requestedInstance: string | undefined) {
  const user = await currentUser()
  if (!user) return null
  const [instances, keys] = await Promise.all([listInstances({ ctx: user }), listApiKeys(user)])
  const names = instances.map((instance) => instance.name)
  const activeKey = keys.find((key) => !key.revokedAt)
  // A connected instance the key may reach, so the first "Try it" answers rather than 403.
  const fallback = defaultInstance(instances, activeKey?.instances.filter((name) => names.includes(name)))
  return {
    email: user.user.email,
    instances: names,
    instance: requestedInstance && names.includes(requestedInstance) ? requestedInstance : (fallback ?? PLACEHOLDER_CONTEXT.instance),
    apiKey: activeKey ? `${activeKey.prefix}…` : 'sage_…',
    keyHint: Boolean(activeKey),
  }
}

function Nav() {
  const link = 'block rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900'
  return (
    <nav aria-label="Docs" className="space-y-6 text-sm">
      <div>
        <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wider text-slate-400">Guides</p>
        <ul>
          {GUIDE_LINKS.map((item) => (
            <li key={item.href}>
              <a href={item.href} className={link}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </div>
      {ORDER.map((group) =>
        group === 'receive-webhooks' ? (
          <div key={group}>
            <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wider text-slate-400">Webhooks</p>
            <ul>
              <li>
                <a href="#webhooks" className={link}>
                  Receiving events
                </a>
              </li>
              <li>
                <a href="#webhook-signatures" className={link}>
                  Verifying signatures
                </a>
              </li>
            </ul>
          </div>
        ) : (
          <div key={group}>
            <a href={`#${GROUP_ANCHORS[group]}`} className="block px-3 pb-1 text-xs font-semibold uppercase tracking-wider text-slate-400 hover:text-slate-700">
              {GROUPS.find((candidate) => candidate.id === group)!.title.replace(' (account plane)', '')}
            </a>
            <ul>
              {endpointsOf(group).map((endpoint) => (
                <li key={endpoint.id}>
                  <a href={`#${endpoint.id}`} className={`${link} flex items-start gap-2`}>
                    <span className="pt-0.5">
                      <MethodBadge method={endpoint.method} small />
                    </span>
                    <span className="min-w-0 leading-snug">{endpoint.summary}</span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ),
      )}
      <div>
        <p className="px-3 pb-1 text-xs font-semibold uppercase tracking-wider text-slate-400">Reference</p>
        <ul>
          <li>
            <a href="#errors" className={link}>
              Errors
            </a>
          </li>
          <li>
            <a href="/api/v1/openapi.json" className={link}>
              openapi.json
            </a>
          </li>
        </ul>
      </div>
    </nav>
  )
}

export default async function DocsPage({ searchParams }: { searchParams: Promise<{ instance?: string }> }) {
  const { instance: requested } = await searchParams
  const signedIn = await visitor(typeof requested === 'string' ? requested : undefined)
  const baseUrl = config().APP_URL.replace(/\/$/, '')
  const context = { ...PLACEHOLDER_CONTEXT, instance: signedIn?.instance ?? PLACEHOLDER_CONTEXT.instance }
  const apiKey = signedIn?.apiKey ?? SEED_KEY
  const credentials = { apiKey, cookie: 'authjs.session-token=…' }

  return (
    <div className="min-h-screen bg-slate-50">
      <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-3 px-4 py-3 sm:px-6 2xl:max-w-[1800px]">
          <div className="flex min-w-0 items-center gap-3">
            <Logo href={signedIn ? '/instances' : '/'} />
            <span className="hidden rounded-md bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-600 sm:inline">API docs</span>
          </div>
          <nav aria-label="Account" className="flex shrink-0 items-center gap-1 text-sm sm:gap-2">
            {signedIn ? (
              <>
                <span className="hidden max-w-48 truncate text-slate-500 md:inline">{signedIn.email}</span>
                <Link href="/instances" className="rounded-md bg-brand-600 px-3 py-2 font-medium text-white shadow-sm hover:bg-brand-700">
                  Dashboard
                </Link>
              </>
            ) : (
              <LogInSignUpLinks logInHref="/login?next=%2Fdocs" />
            )}
          </nav>
        </div>
      </header>

      <div className="mx-auto flex max-w-7xl gap-10 px-4 sm:px-6 2xl:max-w-[1800px]">
        <aside className="sticky top-[61px] hidden h-[calc(100vh-61px)] w-64 shrink-0 overflow-y-auto py-8 lg:block">
          <DocsSearch id="docs-search" entries={SEARCH_ENTRIES}>
            <Nav />
          </DocsSearch>
        </aside>

        <main id="main-content" tabIndex={-1} className="min-w-0 max-w-3xl flex-1 py-8 focus:outline-none lg:py-10 2xl:max-w-none">
          <div className="mb-8 2xl:max-w-4xl">
            <p className="text-xs font-semibold uppercase tracking-wider text-brand-700">API reference · v1</p>
            <h1 className="mt-2 text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl">API Documentation</h1>
            <p className="mt-3 text-lg leading-relaxed text-slate-600">
              Send and receive WhatsApp messages from your application via a single REST API. SAGE-API handles instance lifecycle, message routing, and webhook delivery
              — you authenticate with one key and call simple HTTP endpoints.
            </p>
            <div className="mt-5 flex flex-wrap items-center gap-x-4 gap-y-3">
              <code className="rounded-lg bg-white px-3 py-1.5 font-mono text-[13px] text-slate-700 shadow-sm ring-1 ring-slate-200">{baseUrl}</code>
              <a href="/api/v1/openapi.json" className="text-sm font-medium text-brand-700 hover:text-brand-900">
                OpenAPI 3.1 →
              </a>
            </div>
            {signedIn && (
              <div className="mt-5 flex flex-col gap-3 rounded-xl border border-brand-100 bg-brand-50/60 px-4 py-3 text-sm text-slate-700 md:flex-row md:items-center md:justify-between">
                <p className="min-w-0">
                  Examples use your instance <code className="font-mono font-semibold text-slate-900">{context.instance}</code>
                  {signedIn.keyHint ? (
                    <>
                      {' '}
                      and the start of your key, <code className="font-mono text-slate-900">{signedIn.apiKey}</code>: paste the whole key in its place.
                    </>
                  ) : (
                    <>
                      .{' '}
                      <Link href="/keys" className="font-medium text-brand-700 hover:underline">
                        Mint a key
                      </Link>{' '}
                      to call them.
                    </>
                  )}
                </p>
                {signedIn.instances.length > 1 && <InstancePicker instances={signedIn.instances} current={context.instance} />}
              </div>
            )}
            <details className="mt-6 rounded-xl border border-slate-200 bg-white lg:hidden">
              <summary className="cursor-pointer px-4 py-3 text-sm font-semibold text-slate-800">On this page</summary>
              <div className="max-h-[60vh] overflow-y-auto border-t border-slate-100 px-1 py-3">
                <DocsSearch id="docs-search-phone" entries={SEARCH_ENTRIES}>
                  <Nav />
                </DocsSearch>
              </div>
            </details>
          </div>

          <TryItKeyProvider>
            {/* Prose keeps a readable measure when the endpoints spread into two columns (2xl). */}
            <div className="2xl:max-w-4xl">
              <GettingStarted signedIn={Boolean(signedIn)} instance={context.instance} />
              <Authentication apiKey={apiKey} />
              <RateLimits />
              <Idempotency baseUrl={baseUrl} instance={context.instance} apiKey={apiKey} number={context.number} />
              <KeepingYourNumberSafe baseUrl={baseUrl} instance={context.instance} apiKey={apiKey} />
              <TestInCi baseUrl={baseUrl} apiKey={apiKey} />
            </div>
            {ORDER.map((group) => {
              if (group === 'receive-webhooks')
                return (
                  <div key={group} className="2xl:max-w-4xl">
                    <Webhooks instance={context.instance} />
                  </div>
                )
              const meta = GROUPS.find((candidate) => candidate.id === group)!
              return (
                <div key={group} id={GROUP_ANCHORS[group]} className="scroll-mt-24 border-t border-slate-200 pt-12">
                  <div className="2xl:max-w-4xl">
                    <SectionHeading id={GROUP_ANCHORS[group]} eyebrow="Endpoints">
                      {meta.title}
                    </SectionHeading>
                    <Prose text={meta.description} />
                    {group === 'messages' && (
                      <div className="mt-5">
                        <MessageStatuses />
                      </div>
                    )}
                  </div>
                  {endpointsOf(group).map((endpoint) => (
                    <EndpointSection key={endpoint.id} endpoint={endpoint} context={context} baseUrl={baseUrl} credentials={credentials} signedIn={Boolean(signedIn)} />
                  ))}
                </div>
              )
            })}
            <div className="2xl:max-w-4xl">
              <Errors />
            </div>
          </TryItKeyProvider>
          <footer className="border-t border-slate-200 py-8 text-sm text-slate-500">
            Need help? Write to support with the <code className="font-mono">requestId</code> of the call. ·{' '}
            <a href="/api/v1/status" className="hover:text-slate-800">
              System status
            </a>
          </footer>
        </main>
      </div>
    </div>
  )
}
