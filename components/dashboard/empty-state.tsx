import type { IconProps } from '@/components/ui/icons'

/**
 * A list with nothing in it yet (or a page that found nothing): an icon, what is missing, what to do
 * about it, and the button or link that does it. `framed` draws the dashed box of a whole section.
 */
export function EmptyState({
  icon: Icon,
  title,
  heading: Heading = 'h2',
  muted = false,
  framed = true,
  children,
  action,
}: {
  icon: (props: IconProps) => React.ReactNode
  title: string
  heading?: 'h1' | 'h2' | 'h3'
  /** Grey instead of brand colours: something is wrong rather than new. */
  muted?: boolean
  framed?: boolean
  children: React.ReactNode
  action?: React.ReactNode
}) {
  return (
    <div className={framed ? 'rounded-xl border border-dashed border-slate-300 bg-white px-6 py-14 text-center' : 'text-center'}>
      <div className={`mx-auto grid size-12 place-items-center rounded-full ${muted ? 'bg-slate-100 text-slate-500' : 'bg-brand-50 text-brand-600'}`}>
        <Icon className="size-6" />
      </div>
      <Heading className="mt-4 text-base font-semibold text-slate-900">{title}</Heading>
      <div className="mx-auto mt-1.5 max-w-md text-sm text-slate-600">{children}</div>
      {action && <div className="mt-6">{action}</div>}
    </div>
  )
}
