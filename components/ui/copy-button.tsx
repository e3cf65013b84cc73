'use client'
import { useEffect, useRef, useState } from 'react'
import { CheckIcon, CopyIcon } from './icons'

/** Puts `text` on the clipboard; falls back to a hidden textarea where the Clipboard API is missing. */
async function writeClipboard(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Denied (e.g. no permission): try the old way below.
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.append(area)
  area.select()
  try {
    return document.execCommand('copy')
  } catch {
    return false
  } finally {
    area.remove()
  }
}

/** A "Copy" button that says "Copied" for a moment afterwards (announced to screen readers). */
export function CopyButton({
  text,
  label = 'Copy',
  className = '',
  tone = 'light',
}: {
  text: string
  label?: string
  className?: string
  tone?: 'light' | 'dark'
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => () => clearTimeout(timer.current), [])
  const look =
    tone === 'dark'
      ? 'bg-white/10 text-slate-100 ring-white/15 hover:bg-white/20'
      : 'bg-white text-slate-700 shadow-sm ring-slate-300 hover:bg-slate-50'
  return (
    <button
      type="button"
      onClick={async () => {
        const ok = await writeClipboard(text)
        setState(ok ? 'copied' : 'failed')
        clearTimeout(timer.current)
        timer.current = setTimeout(() => setState('idle'), 2000)
      }}
      className={`inline-flex shrink-0 items-center justify-center gap-1.5 rounded-md px-2.5 py-1.5 text-[13px] font-semibold ring-1 transition ${look} ${className}`}
    >
      {state === 'copied' ? <CheckIcon className="size-4 text-brand-500" /> : <CopyIcon className="size-4 opacity-70" />}
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Press Ctrl+C' : label}</span>
    </button>
  )
}

/**
 * A read-only value (a secret, a token) shown whole in monospace, wrapping on narrow screens, with a
 * copy button. One tap or focus selects all of it, so Ctrl+C works too.
 */
export function CopyField({ id, label, value, hint }: { id: string; label: string; value: string; hint?: React.ReactNode }) {
  return (
    <div>
      <p id={`${id}-label`} className="block text-sm font-medium text-slate-800">
        {label}
      </p>
      <div className="mt-1.5 flex items-center gap-2 rounded-lg border border-slate-300 bg-slate-50 p-1.5 pl-3 focus-within:border-brand-600 focus-within:ring-2 focus-within:ring-brand-600/20">
        <code
          id={id}
          role="textbox"
          aria-readonly="true"
          aria-labelledby={`${id}-label`}
          aria-describedby={hint ? `${id}-hint` : undefined}
          tabIndex={0}
          onFocus={(event) => window.getSelection()?.selectAllChildren(event.currentTarget)}
          className="min-w-0 flex-1 select-all break-all py-1 font-mono text-[13px] leading-5 text-slate-900 focus:outline-none"
        >
          {value}
        </code>
        <CopyButton text={value} />
      </div>
      {hint && (
        <p id={`${id}-hint`} className="mt-1.5 text-sm text-slate-500">
          {hint}
        </p>
      )}
    </div>
  )
}
