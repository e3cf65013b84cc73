// Example requests in curl, Node (fetch) and Python (requests), built from an endpoint's example.
// The docs page renders these; the docs tests run the curl ones against a real server.
import { exampleRequest, usesApiKey, usesSession } from './registry'
import type { Endpoint, ExampleContext } from './types'

export type Credentials = { apiKey: string; cookie: string }
export type SnippetLanguage = 'curl' | 'node' | 'python'
export const SNIPPET_LANGUAGES: { id: SnippetLanguage; label: string }[] = [
  { id: 'curl', label: 'curl' },
  { id: 'node', label: 'Node' },
  { id: 'python', label: 'Python' },
]

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`

function authHeaders(endpoint: Endpoint, credentials: Credentials): [string, string][] {
  if (usesApiKey(endpoint)) return [['Authorization', `Bearer ${credentials.apiKey}`]]
  if (usesSession(endpoint)) return [['Cookie', credentials.cookie]]
  return []
}

function jsonText(value: unknown, indent = '') {
  const compact = JSON.stringify(value)
  if (compact.length <= 72) return compact
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`)
}

export function curlSnippet(endpoint: Endpoint, context: ExampleContext, baseUrl: string, credentials: Credentials): string {
  const request = exampleRequest(endpoint, context)
  const lines = [`curl${endpoint.method === 'GET' ? '' : ` -X ${endpoint.method}`}${endpoint.stream ? ' -N' : ''} ${shellQuote(baseUrl + request.url)}`]
  for (const [name, value] of authHeaders(endpoint, credentials)) lines.push(`-H ${shellQuote(`${name}: ${value}`)}`)
  if (request.body !== undefined) {
    lines.push(`-H 'Content-Type: application/json'`)
    lines.push(`-d ${shellQuote(jsonText(request.body, '  '))}`)
  }
  if (endpoint.response.contentType && endpoint.response.contentType !== 'text/event-stream') lines.push(`-o ${downloadName(endpoint)}`)
  return lines.join(' \\\n  ')
}

function downloadName(endpoint: Endpoint): string {
  return endpoint.id === 'get-message-media' ? 'media.bin' : 'response.bin'
}

/** A JavaScript literal: JSON with unquoted keys where they are identifiers. */
function jsLiteral(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(value)
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    const items = value.map((item) => jsLiteral(item, inner))
    const flat = `[${items.join(', ')}]`
    return flat.length <= 60 && !flat.includes('\n') ? flat : `[\n${items.map((item) => inner + item).join(',\n')},\n${indent}]`
  }
  const entries = Object.entries(value).map(([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`}: ${jsLiteral(item, inner)}`)
  const flat = `{ ${entries.join(', ')} }`
  return flat.length <= 60 && !flat.includes('\n') ? flat : `{\n${entries.map((entry) => inner + entry).join(',\n')},\n${indent}}`
}

export function nodeSnippet(endpoint: Endpoint, context: ExampleContext, baseUrl: string, credentials: Credentials): string {
  const request = exampleRequest(endpoint, context)
  const headers = authHeaders(endpoint, credentials)
  if (request.body !== undefined) headers.push(['Content-Type', 'application/json'])
  const options: string[] = []
  if (endpoint.method !== 'GET') options.push(`  method: '${endpoint.method}',`)
  if (headers.length) {
    options.push('  headers: {')
    for (const [name, value] of headers) options.push(`    ${/^[A-Za-z]+$/.test(name) ? name : `'${name}'`}: '${value}',`)
    options.push('  },')
  }
  if (request.body !== undefined) options.push(`  body: JSON.stringify(${jsLiteral(request.body, '  ')}),`)
  const call = options.length ? `await fetch('${baseUrl}${request.url}', {\n${options.join('\n')}\n})` : `await fetch('${baseUrl}${request.url}')`
  const read = endpoint.stream
    ? `for await (const chunk of response.body) process.stdout.write(chunk) // server-sent events`
    : endpoint.response.contentType
      ? `const file = Buffer.from(await response.arrayBuffer()) // ${"response.headers.get('content-type')"} says what it is`
      : `console.log(response.status, await response.json())`
  return `const response = ${call}\n${read}`
}

/** A Python literal: JSON with True/False/None. */
function pyLiteral(value: unknown, indent: string): string {
  if (value === null) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value !== 'object') return JSON.stringify(value)
  const inner = `${indent}    `
  if (Array.isArray(value)) {
    const items = value.map((item) => pyLiteral(item, inner))
    const flat = `[${items.join(', ')}]`
    return flat.length <= 60 && !flat.includes('\n') ? flat : `[\n${items.map((item) => inner + item).join(',\n')},\n${indent}]`
  }
  const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${pyLiteral(item, inner)}`)
  const flat = `{${entries.join(', ')}}`
  return flat.length <= 60 && !flat.includes('\n') ? flat : `{\n${entries.map((entry) => inner + entry).join(',\n')},\n${indent}}`
}

export function pythonSnippet(endpoint: Endpoint, context: ExampleContext, baseUrl: string, credentials: Credentials): string {
  const request = exampleRequest(endpoint, context)
  const headers = authHeaders(endpoint, credentials)
  const args = [`    ${JSON.stringify(baseUrl + request.url)},`]
  if (headers.length) args.push(`    headers={${headers.map(([name, value]) => `${JSON.stringify(name)}: ${JSON.stringify(value)}`).join(', ')}},`)
  if (request.body !== undefined) args.push(`    json=${pyLiteral(request.body, '    ')},`)
  if (endpoint.stream) args.push('    stream=True,')
  const read = endpoint.stream
    ? 'for line in response.iter_lines():  # server-sent events\n    print(line.decode())'
    : endpoint.response.contentType
      ? 'file = response.content  # response.headers["Content-Type"] says what it is'
      : 'print(response.status_code, response.json())'
  return `import requests\n\nresponse = requests.${endpoint.method.toLowerCase()}(\n${args.join('\n')}\n)\n${read}`
}

export function snippets(endpoint: Endpoint, context: ExampleContext, baseUrl: string, credentials: Credentials): Record<SnippetLanguage, string> {
  return {
    curl: curlSnippet(endpoint, context, baseUrl, credentials),
    node: nodeSnippet(endpoint, context, baseUrl, credentials),
    python: pythonSnippet(endpoint, context, baseUrl, credentials),
  }
}
