/** Text with `code` spans, as the registry writes descriptions. */
export function Prose({ text, className = '' }: { text: string; className?: string }) {
  const parts = text.split(/(`[^`]+`)/g)
  return (
    <p className={`text-[15px] leading-relaxed text-slate-600 ${className}`}>
      {parts.map((part, index) =>
        part.startsWith('`') && part.endsWith('`') ? <Code key={index}>{part.slice(1, -1)}</Code> : part,
      )}
    </p>
  )
}

export function Code({ children }: { children: React.ReactNode }) {
  return <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.86em] text-slate-800 ring-1 ring-slate-200/70">{children}</code>
}

const METHOD_LOOKS: Record<string, string> = {
  GET: 'bg-sky-50 text-sky-700 ring-sky-200',
  POST: 'bg-brand-50 text-brand-700 ring-brand-100',
  PATCH: 'bg-amber-50 text-amber-800 ring-amber-200',
  PUT: 'bg-amber-50 text-amber-800 ring-amber-200',
  DELETE: 'bg-red-50 text-red-700 ring-red-200',
}

export function MethodBadge({ method, small = false }: { method: string; small?: boolean }) {
  return (
    <span
      className={`inline-flex shrink-0 items-center justify-center rounded font-mono font-semibold ring-1 ${METHOD_LOOKS[method]} ${
        small ? 'w-12 py-px text-[10px]' : 'px-1.5 py-0.5 text-xs'
      }`}
    >
      {method === 'DELETE' && small ? 'DEL' : method}
    </span>
  )
}

export function SectionHeading({ id, children, eyebrow }: { id: string; children: React.ReactNode; eyebrow?: string }) {
  return (
    <div className="mb-5">
      {eyebrow && <p className="mb-1 text-xs font-semibold uppercase tracking-wider text-brand-700">{eyebrow}</p>}
      <h2 className="group text-2xl font-semibold tracking-tight text-slate-900">
        <a href={`#${id}`} className="hover:underline hover:decoration-slate-300 hover:underline-offset-4">
          {children}
        </a>
      </h2>
    </div>
  )
}
