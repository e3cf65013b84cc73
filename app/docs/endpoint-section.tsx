import { CodeTabs } from '@/components/docs/code-tabs'
import { TryIt } from '@/components/docs/try-it'
import { ERROR_CODES } from '@/lib/api/errors'
import { fieldRows, jsonSchemaOf, type FieldRow } from '@/lib/api/openapi/json-schema'
import { AUTH_LABELS, errorsOf, exampleRequest, usesApiKey, usesSession, type Endpoint, type ExampleContext } from '@/lib/api/openapi/registry'
import { snippets, SNIPPET_LANGUAGES, type Credentials } from '@/lib/api/openapi/snippets'
import { Code, MethodBadge, Prose } from './prose'

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted' }

function Fields({ title, rows }: { title: string; rows: FieldRow[] }) {
  return (
    <div>
      <h4 className="text-sm font-semibold text-slate-900">{title}</h4>
      <ul className="mt-2 divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white">
        {rows.map((row) => (
          <li key={row.name} className="px-4 py-3">
            <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
              <code className="font-mono text-[13px] font-semibold text-slate-900">{row.name}</code>
              <span className="font-mono text-xs text-slate-500">{row.type}</span>
              {row.required ? (
                <span className="rounded bg-rose-50 px-1.5 text-[11px] font-medium text-rose-700 ring-1 ring-rose-100">required</span>
              ) : (
                <span className="text-[11px] text-slate-400">optional</span>
              )}
              {row.constraints.map((constraint) => (
                <span key={constraint} className="rounded bg-slate-100 px-1.5 text-[11px] text-slate-600">
                  {constraint}
                </span>
              ))}
            </div>
            {row.description && <Prose text={row.description} className="mt-1 !text-sm" />}
          </li>
        ))}
      </ul>
    </div>
  )
}

export function EndpointSection({
  endpoint,
  context,
  baseUrl,
  credentials,
  signedIn,
}: {
  endpoint: Endpoint
  context: ExampleContext
  baseUrl: string
  credentials: Credentials
  signedIn: boolean
}) {
  const request = exampleRequest(endpoint, context)
  const code = snippets(endpoint, context, baseUrl, credentials)
  const bodyRows = endpoint.body ? fieldRows(jsonSchemaOf(endpoint.body, 'input')) : []
  const queryRows = endpoint.query ? fieldRows(jsonSchemaOf(endpoint.query, 'input')) : []
  const errors = errorsOf(endpoint)
  const { response } = endpoint
  const responseText =
    response.example !== undefined
      ? JSON.stringify(response.example, null, 2)
      : response.contentType === 'text/event-stream'
        ? 'event: state\ndata: {"name":"acme-prod","state":"open", …}\n\nevent: messages\ndata: [{ … }, …]'
        : `(the file's bytes, Content-Type: ${response.contentType === 'application/octet-stream' ? 'its mimetype' : response.contentType})`

  return (
    // Below 2xl one column (fields, examples, errors, Try it); from 2xl the examples sit in a
    // second column beside the text, sticking while it scrolls.
    <section
      id={endpoint.id}
      aria-labelledby={`${endpoint.id}-title`}
      className="scroll-mt-24 border-t border-slate-200 py-10 first:border-t-0 2xl:grid 2xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)] 2xl:gap-x-10"
    >
      <div className="2xl:col-start-1">
        <div className="flex flex-wrap items-center gap-2">
          <MethodBadge method={endpoint.method} />
          <code className="min-w-0 break-all font-mono text-[13px] text-slate-700">{endpoint.path}</code>
        </div>
        <h3 id={`${endpoint.id}-title`} className="mt-3 text-xl font-semibold tracking-tight text-slate-900">
          <a href={`#${endpoint.id}`} className="hover:underline hover:decoration-slate-300 hover:underline-offset-4">
            {endpoint.summary}
          </a>
        </h3>
        <p className="mt-2 flex flex-wrap items-center gap-2 text-xs">
          <span
            className={`rounded-full px-2 py-0.5 font-medium ring-1 ${
              endpoint.auth === 'none' ? 'bg-slate-50 text-slate-600 ring-slate-200' : 'bg-indigo-50 text-indigo-700 ring-indigo-100'
            }`}
          >
            {AUTH_LABELS[endpoint.auth]}
          </span>
          {usesApiKey(endpoint) && endpoint.method === 'POST' && (
            <a href="#idempotency" className="rounded-full bg-slate-50 px-2 py-0.5 font-medium text-slate-600 ring-1 ring-slate-200 hover:text-slate-900">
              Idempotency-Key
            </a>
          )}
          {endpoint.multipart && <span className="rounded-full bg-slate-50 px-2 py-0.5 font-medium text-slate-600 ring-1 ring-slate-200">JSON or multipart</span>}
        </p>
        {endpoint.description && <Prose text={endpoint.description} className="mt-3" />}
      </div>
      <div className="mt-6 space-y-6 2xl:col-start-1">
        {queryRows.length > 0 && <Fields title="Query parameters" rows={queryRows} />}
        {bodyRows.length > 0 && (
          <Fields
            title="Body"
            rows={
              endpoint.multipart
                ? [...bodyRows, { name: endpoint.multipart.fileField, type: 'file', required: false, description: `multipart only: ${endpoint.multipart.description}`, constraints: [] }]
                : bodyRows
            }
          />
        )}
      </div>
      <div className="mt-6 space-y-6 2xl:sticky 2xl:top-24 2xl:col-start-2 2xl:row-span-3 2xl:row-start-1 2xl:mt-0 2xl:self-start">
        <div>
          <h4 className="mb-2 text-sm font-semibold text-slate-900">Example request</h4>
          <CodeTabs tabs={SNIPPET_LANGUAGES.map((language) => ({ id: language.id, label: language.label, code: code[language.id] }))} ariaLabel={`${endpoint.summary}: example request`} />
        </div>

        <div>
          <h4 className="mb-2 text-sm font-semibold text-slate-900">
            Response <span className="font-mono text-[13px] font-medium text-brand-700">{response.status} {STATUS_TEXT[response.status]}</span>
          </h4>
          <Prose text={response.description} className="mb-2 !text-sm" />
          {endpoint.id !== 'openapi' && <CodeTabs tabs={[{ id: 'response', label: `${response.status} ${STATUS_TEXT[response.status]}`, code: responseText }]} />}
        </div>
      </div>
      <div className="mt-6 space-y-6 2xl:col-start-1">
        <div>
          <h4 className="text-sm font-semibold text-slate-900">Errors</h4>
          <ul className="mt-2 flex flex-wrap gap-1.5">
            {errors.map((code) => (
              <li key={code}>
                <a
                  href="#errors"
                  title={ERROR_CODES[code].message}
                  className="inline-flex items-center gap-1.5 rounded-md bg-white px-2 py-1 text-xs ring-1 ring-slate-200 hover:ring-slate-300"
                >
                  <span className="font-mono font-semibold text-slate-500">{ERROR_CODES[code].status}</span>
                  <span className="font-mono text-slate-800">{code}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>

        {endpoint.stream ? (
          <p className="text-sm text-slate-500">
            An event stream: open it with <Code>EventSource</Code> from a signed-in page, or <Code>curl -N</Code>.
          </p>
        ) : (
          <details className="group rounded-xl border border-slate-200 bg-slate-50/60 open:bg-white">
            <summary className="flex cursor-pointer list-none items-center justify-between gap-3 px-4 py-3 text-sm font-semibold text-slate-800 [&::-webkit-details-marker]:hidden">
              <span className="flex items-center gap-2">
                <span aria-hidden className="grid size-5 place-items-center rounded-full bg-brand-600 text-[10px] text-white">
                  ▶
                </span>
                Try it
              </span>
              <span className="text-xs font-normal text-slate-500 group-open:hidden">Send a real request from your browser</span>
            </summary>
            <div className="px-2 pb-2 sm:px-3 sm:pb-3">
              <TryIt
                endpointId={endpoint.id}
                method={endpoint.method}
                url={request.url}
                body={request.body === undefined ? undefined : JSON.stringify(request.body, null, 2)}
                auth={usesApiKey(endpoint) ? 'key' : usesSession(endpoint) ? 'session' : 'none'}
                signedIn={signedIn}
              />
            </div>
          </details>
        )}
      </div>
    </section>
  )
}
