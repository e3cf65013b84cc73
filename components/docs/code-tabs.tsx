'use client'
import { useId, useState } from 'react'
import { CopyButton } from '@/components/ui/copy-button'

export type CodeTab = { id: string; label: string; code: string }

/** A dark code panel with a copy button: several tabs (curl / Node / Python) or one titled block. */
export function CodeTabs({ tabs, title, ariaLabel }: { tabs: CodeTab[]; title?: string; ariaLabel?: string }) {
  const [active, setActive] = useState(tabs[0].id)
  const baseId = useId()
  const current = tabs.find((tab) => tab.id === active) ?? tabs[0]
  return (
    <div className="palette-fixed min-w-0 overflow-hidden rounded-xl bg-slate-900 shadow-sm ring-1 ring-slate-800">
      <div className="flex items-center justify-between gap-2 border-b border-white/10 py-1.5 pl-2 pr-1.5">
        {tabs.length > 1 ? (
          <div role="tablist" aria-label={ariaLabel ?? 'Language'} className="flex min-w-0 gap-1 overflow-x-auto">
            {tabs.map((tab) => (
              <button
                key={tab.id}
                type="button"
                role="tab"
                id={`${baseId}-${tab.id}`}
                aria-selected={tab.id === current.id}
                aria-controls={`${baseId}-panel`}
                onClick={() => setActive(tab.id)}
                className={`rounded-md px-2.5 py-1 text-[13px] font-medium transition ${
                  tab.id === current.id ? 'bg-white/10 text-white' : 'text-slate-400 hover:text-slate-200'
                }`}
              >
                {tab.label}
              </button>
            ))}
          </div>
        ) : (
          <span className="truncate px-1.5 text-[13px] font-medium text-slate-300">{title ?? tabs[0].label}</span>
        )}
        <CopyButton text={current.code} tone="dark" />
      </div>
      <pre
        id={`${baseId}-panel`}
        role={tabs.length > 1 ? 'tabpanel' : undefined}
        aria-label={ariaLabel ?? title ?? current.label}
        className="overflow-x-auto px-4 py-3.5 font-mono text-[12.5px] leading-relaxed text-slate-100"
      >
        <code>{current.code}</code>
      </pre>
    </div>
  )
}
