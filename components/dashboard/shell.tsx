'use client'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { useEffect, useRef, useState } from 'react'
import { Logo } from '@/components/logo'
import { ChartIcon, ChevronIcon, CloseIcon, DocsIcon, InstancesIcon, KeyIcon, LogOutIcon, MenuIcon, SettingsIcon, WebhookIcon } from '@/components/ui/icons'

const NAVIGATION = [
  { href: '/instances', label: 'Instances', icon: InstancesIcon },
  { href: '/keys', label: 'API keys', icon: KeyIcon },
  { href: '/webhooks', label: 'Webhooks', icon: WebhookIcon },
  { href: '/usage', label: 'Usage', icon: ChartIcon },
  { href: '/settings', label: 'Settings', icon: SettingsIcon },
  { href: '/docs', label: 'Docs', icon: DocsIcon },
]

function NavLinks({ pathname }: { pathname: string }) {
  return (
    <ul className="space-y-1">
      {NAVIGATION.map(({ href, label, icon: Icon }) => {
        const active = pathname === href || pathname.startsWith(`${href}/`)
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? 'page' : undefined}
              className={`flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition ${
                active ? 'bg-brand-50 text-brand-700' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900'
              }`}
            >
              <Icon className={`size-5 ${active ? 'text-brand-600' : 'text-slate-400'}`} />
              {label}
            </Link>
          </li>
        )
      })}
    </ul>
  )
}

function Avatar({ email }: { email: string }) {
  return (
    <span aria-hidden className="grid size-8 shrink-0 place-items-center rounded-full bg-slate-900 palette-fixed text-xs font-semibold uppercase text-white">
      {email.slice(0, 1)}
    </span>
  )
}

function LogOutButton({ logOut }: { logOut: (formData: FormData) => Promise<void> }) {
  return (
    <form action={logOut}>
      <button type="submit" className="flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100">
        <LogOutIcon className="size-4 text-slate-400" />
        Log out
      </button>
    </form>
  )
}

/** Desktop: the account button at the foot of the sidebar, opening upwards. */
function AccountMenu({ email, logOut }: { email: string; logOut: (formData: FormData) => Promise<void> }) {
  const [open, setOpen] = useState(false)
  const container = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!open) return
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (event instanceof KeyboardEvent ? event.key === 'Escape' : !container.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', close)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', close)
    }
  }, [open])
  return (
    <div ref={container} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="flex w-full items-center gap-3 rounded-lg px-2 py-2 text-left hover:bg-slate-100"
      >
        <Avatar email={email} />
        <span className="min-w-0 flex-1 truncate text-sm font-medium text-slate-800">{email}</span>
        <ChevronIcon className={`size-4 text-slate-400 transition ${open ? 'rotate-180' : ''}`} />
      </button>
      {open && (
        <div role="menu" aria-label="Account" className="absolute bottom-full left-0 right-0 mb-2 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200">
          <p className="truncate px-3 py-2 text-xs text-slate-500">
            Signed in as <span className="font-medium text-slate-700">{email}</span>
          </p>
          <LogOutButton logOut={logOut} />
        </div>
      )}
    </div>
  )
}

/**
 * The dashboard frame: a sidebar with navigation and the account menu on desktop; a top bar with a
 * menu button on phones. `banner` (e.g. "verify your email") sits above every page's content.
 */
export function DashboardShell({
  email,
  logOut,
  banner,
  children,
}: {
  email: string
  logOut: (formData: FormData) => Promise<void>
  banner?: React.ReactNode
  children: React.ReactNode
}) {
  const pathname = usePathname()
  const [menuOpen, setMenuOpen] = useState(false)
  useEffect(() => setMenuOpen(false), [pathname])

  return (
    // The sidebar is a column of the page (its background runs to the bottom however long the page
    // is) whose content sticks to the viewport.
    <div className="min-h-screen lg:flex">
      <aside className="hidden w-64 shrink-0 border-r border-slate-200 bg-white lg:block">
        <div className="sticky top-0 flex h-screen flex-col">
          <div className="px-5 py-5">
            <Logo href="/instances" />
          </div>
          <nav aria-label="Main" className="flex-1 px-3 py-2">
            <NavLinks pathname={pathname} />
          </nav>
          <div className="border-t border-slate-200 p-3">
            <AccountMenu email={email} logOut={logOut} />
          </div>
        </div>
      </aside>

      <div className="min-w-0 flex-1">
        <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/90 backdrop-blur lg:hidden">
          <div className="flex items-center justify-between px-4 py-3">
            <Logo href="/instances" />
            <button
              type="button"
              aria-expanded={menuOpen}
              aria-controls="phone-menu"
              onClick={() => setMenuOpen(!menuOpen)}
              className="rounded-md p-2 text-slate-600 hover:bg-slate-100"
            >
              <span className="sr-only">{menuOpen ? 'Close menu' : 'Open menu'}</span>
              {menuOpen ? <CloseIcon className="size-6" /> : <MenuIcon className="size-6" />}
            </button>
          </div>
          {menuOpen && (
            <div id="phone-menu" className="border-t border-slate-200 px-3 pb-4 pt-3">
              <nav aria-label="Main">
                <NavLinks pathname={pathname} />
              </nav>
              <div className="mt-3 border-t border-slate-200 pt-3">
                <div className="flex items-center gap-3 px-3 py-2">
                  <Avatar email={email} />
                  <span className="min-w-0 truncate text-sm font-medium text-slate-800">{email}</span>
                </div>
                <LogOutButton logOut={logOut} />
              </div>
            </div>
          )}
        </header>
        {banner}
        <main id="main-content" tabIndex={-1} className="mx-auto max-w-5xl focus:outline-none px-4 py-8 sm:px-6 lg:px-10 lg:py-10">{children}</main>
      </div>
    </div>
  )
}

/** A page's title row: heading, one-line description, and an optional action on the right. */
export function PageHeader({ title, description, action }: { title: string; description?: string; action?: React.ReactNode }) {
  return (
    <div className="mb-8 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description && <p className="mt-1.5 text-sm text-slate-600">{description}</p>}
      </div>
      {action}
    </div>
  )
}
