'use client'
import { useState } from 'react'

export type SearchEntry = { id: string; method: string; summary: string; path: string }

/** The last path segment, as the spec names an endpoint ("sendText"), for matching and display. */
function operationName(path: string): string {
  return path.split('/').filter((part) => part && !part.startsWith('{')).pop() ?? path
}

function matches(entry: SearchEntry, words: string[]): boolean {
  const haystack = `${entry.summary} ${entry.path} ${entry.id} ${entry.method}`.toLowerCase()
  return words.every((word) => haystack.includes(word))
}

/**
 * /docs search: typing filters the endpoints by name, path or summary ("sendText", "poll",
 * "webhook"); the results replace the table of contents (`children`) until the box is emptied.
 */
export function DocsSearch({ entries, id, children }: { entries: SearchEntry[]; id: string; children: React.ReactNode }) {
  const [query, setQuery] = useState('')
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  const results = words.length ? entries.filter((entry) => matches(entry, words)) : []
  return (
    <div>
      <div className="px-1 pb-4">
        <label htmlFor={id} className="sr-only">
          Search endpoints
        </label>
        <input
          id={id}
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => event.key === 'Escape' && setQuery('')}
          placeholder="Search endpoints…"
          autoComplete="off"
          className="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/20"
        />
      </div>
      {words.length === 0 ? (
        children
      ) : (
        <div role="region" aria-label="Search results">
          <p aria-live="polite" className="px-3 pb-2 text-xs text-slate-500">
            {results.length === 0 ? 'No endpoint matches.' : `${results.length} ${results.length === 1 ? 'endpoint' : 'endpoints'}`}
          </p>
          <ul>
            {results.map((entry) => (
              <li key={entry.id}>
                <a
                  href={`#${entry.id}`}
                  className="block rounded-md px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-100 hover:text-slate-900"
                >
                  <span className="flex items-baseline gap-2">
                    <span className="w-10 shrink-0 font-mono text-[10px] font-semibold text-slate-500">{entry.method === 'DELETE' ? 'DEL' : entry.method}</span>
                    <span className="min-w-0">
                      <span className="block leading-snug">{entry.summary}</span>
                      <span className="block break-all font-mono text-[11px] text-slate-500">{operationName(entry.path)}</span>
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
