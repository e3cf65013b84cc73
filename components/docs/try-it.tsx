'use client'
import { createContext, useContext, useState } from 'react'
import { Button } from '@/components/ui/button'

/**
 * The API key typed into any "Try it" panel, shared by all of them while the page is open. It lives
 * in React state only: never stored, never sent anywhere but in the request the visitor sends.
 */
const KeyContext = createContext<{ apiKey: string; setApiKey: (value: string) => void } | null>(null)

export function TryItKeyProvider({ children }: { children: React.ReactNode }) {
  const [apiKey, setApiKey] = useState('')
  return <KeyContext value={{ apiKey, setApiKey }}>{children}</KeyContext>
}

type Result =
  | { kind: 'response'; status: number; statusText: string; ms: number; headers: [string, string][]; body: string }
  | { kind: 'error'; message: string }

export type TryItProps = {
  endpointId: string
  method: string
  /** The request path with the example's values, editable. */
  url: string
  body?: string
  auth: 'key' | 'session' | 'none'
  signedIn: boolean
}

async function readBody(response: Response): Promise<string> {
  const type = response.headers.get('content-type') ?? ''
  if (type.includes('json')) {
    const text = await response.text()
    try {
      return JSON.stringify(JSON.parse(text), null, 2)
    } catch {
      return text
    }
  }
  if (type.startsWith('text/')) return response.text()
  const bytes = (await response.arrayBuffer()).byteLength
  return `(${bytes.toLocaleString()} bytes of ${type || 'binary data'})`
}

export function TryIt({ endpointId, method, url: initialUrl, body: initialBody, auth, signedIn }: TryItProps) {
  const keyState = useContext(KeyContext)
  const [url, setUrl] = useState(initialUrl)
  const [body, setBody] = useState(initialBody ?? '')
  const [showKey, setShowKey] = useState(false)
  const [sending, setSending] = useState(false)
  const [result, setResult] = useState<Result | null>(null)
  const apiKey = keyState?.apiKey ?? ''
  const id = (part: string) => `try-${endpointId}-${part}`

  let bodyProblem: string | null = null
  if (initialBody !== undefined && body.trim() !== '') {
    try {
      JSON.parse(body)
    } catch {
      bodyProblem = 'Not valid JSON yet.'
    }
  }
  const missingKey = auth === 'key' && !apiKey.trim()
  const missingSession = auth === 'session' && !signedIn

  async function send() {
    setSending(true)
    setResult(null)
    const headers: Record<string, string> = {}
    if (auth === 'key') headers.Authorization = `Bearer ${apiKey.trim()}`
    if (initialBody !== undefined) headers['Content-Type'] = 'application/json'
    const startedAt = performance.now()
    try {
      const response = await fetch(url, {
        method,
        headers,
        body: initialBody !== undefined ? body : undefined,
        credentials: auth === 'session' ? 'same-origin' : 'omit',
        cache: 'no-store',
      })
      const text = await readBody(response)
      setResult({
        kind: 'response',
        status: response.status,
        statusText: response.statusText,
        ms: Math.round(performance.now() - startedAt),
        headers: [...response.headers.entries()],
        body: text,
      })
    } catch (error) {
      setResult({ kind: 'error', message: error instanceof Error ? error.message : 'The request failed.' })
    } finally {
      setSending(false)
    }
  }

  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid={`try-it-${endpointId}`}>
      <div className="space-y-4">
        {auth === 'key' && keyState && (
          <div>
            <label htmlFor={id('key')} className="block text-sm font-medium text-slate-800">
              API key
            </label>
            <div className="mt-1.5 flex gap-2">
              <input
                id={id('key')}
                type={showKey ? 'text' : 'password'}
                value={apiKey}
                onChange={(event) => keyState.setApiKey(event.target.value)}
                placeholder="sage_…"
                autoComplete="off"
                spellCheck={false}
                data-1p-ignore
                data-lpignore="true"
                className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-[13px] text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/20"
              />
              <Button variant="secondary" size="sm" onClick={() => setShowKey(!showKey)} aria-pressed={showKey}>
                {showKey ? 'Hide' : 'Show'}
              </Button>
            </div>
            <p className="mt-1.5 text-xs text-slate-500">Kept in this page only while it is open, and shared by every “Try it” panel. Never stored.</p>
          </div>
        )}
        {auth === 'session' && (
          <p className="rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200">
            {signedIn ? 'Sent with your dashboard session: no key needed.' : 'Log in to try this: it uses your dashboard session, not an API key.'}
          </p>
        )}
        <div>
          <label htmlFor={id('url')} className="block text-sm font-medium text-slate-800">
            Request
          </label>
          <div className="mt-1.5 flex items-stretch overflow-hidden rounded-lg border border-slate-300 shadow-sm focus-within:border-brand-600 focus-within:ring-2 focus-within:ring-brand-600/20">
            <span className="flex items-center border-r border-slate-200 bg-slate-50 px-2.5 font-mono text-xs font-semibold text-slate-600">{method}</span>
            <input
              id={id('url')}
              value={url}
              onChange={(event) => setUrl(event.target.value)}
              spellCheck={false}
              className="min-w-0 flex-1 bg-white px-3 py-2 font-mono text-[13px] text-slate-900 focus:outline-none"
            />
          </div>
        </div>
        {initialBody !== undefined && (
          <div>
            <label htmlFor={id('body')} className="block text-sm font-medium text-slate-800">
              Body (JSON)
            </label>
            <textarea
              id={id('body')}
              value={body}
              onChange={(event) => setBody(event.target.value)}
              rows={Math.min(14, Math.max(3, body.split('\n').length))}
              spellCheck={false}
              aria-invalid={bodyProblem ? true : undefined}
              className="mt-1.5 block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-[13px] leading-relaxed text-slate-900 shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/20"
            />
            {bodyProblem && <p className="mt-1 text-xs text-amber-700">{bodyProblem} It is sent as typed.</p>}
          </div>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <Button onClick={send} pending={sending} pendingLabel="Sending…" disabled={missingKey || missingSession}>
            Send request
          </Button>
          {missingKey && <span className="text-sm text-slate-500">Paste an API key first.</span>}
        </div>
      </div>
      {result && (
        <div className="mt-5 border-t border-slate-200 pt-4" aria-live="polite">
          {result.kind === 'error' ? (
            <p role="alert" className="text-sm text-red-700">
              {result.message}
            </p>
          ) : (
            <>
              <p className="flex flex-wrap items-center gap-2 text-sm">
                <span
                  data-testid="try-it-status"
                  className={`rounded-md px-2 py-0.5 font-mono text-[13px] font-semibold ring-1 ${
                    result.status < 300
                      ? 'bg-brand-50 text-brand-700 ring-brand-100'
                      : result.status < 500
                        ? 'bg-amber-50 text-amber-800 ring-amber-200'
                        : 'bg-red-50 text-red-700 ring-red-200'
                  }`}
                >
                  {result.status} {result.statusText}
                </span>
                <span className="text-slate-500">{result.ms} ms</span>
              </p>
              <details className="mt-3 text-sm">
                <summary className="cursor-pointer font-medium text-slate-700">Response headers ({result.headers.length})</summary>
                <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 font-mono text-xs">
                  {result.headers.map(([name, value]) => (
                    <div key={name} className="contents">
                      <dt className="text-slate-500">{name}</dt>
                      <dd className="break-all text-slate-800">{value}</dd>
                    </div>
                  ))}
                </dl>
              </details>
              <pre
                aria-label="Response body"
                className="mt-3 max-h-96 overflow-auto rounded-lg bg-slate-900 palette-fixed px-4 py-3 font-mono text-[12.5px] leading-relaxed text-slate-100"
              >
                <code>{result.body || '(empty body)'}</code>
              </pre>
            </>
          )}
        </div>
      )}
    </div>
  )
}
