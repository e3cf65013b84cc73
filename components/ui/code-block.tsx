import { CopyButton } from './copy-button'

/** A dark terminal panel: a title, a copy button, and the code (labelled for screen readers and tests). */
export function CodeBlock({ title, code, label, className = '' }: { title: string; code: string; label: string; className?: string }) {
  return (
    <div className={`palette-fixed min-w-0 max-w-full overflow-hidden rounded-lg bg-slate-900 text-left ring-1 ring-slate-900/10 ${className}`}>
      <div className="flex items-center justify-between gap-3 border-b border-white/10 py-1.5 pl-4 pr-1.5">
        <span className="font-mono text-xs text-slate-400">{title}</span>
        <CopyButton text={code} label="Copy" tone="dark" />
      </div>
      <pre aria-label={label} className="overflow-x-auto px-4 py-3.5 font-mono text-[12.5px] leading-relaxed text-slate-100">
        <code>{code}</code>
      </pre>
    </div>
  )
}
