// Clients of the event log (/api/v1/events, its SSE stream and its WebSocket) as an integration writes them.
import WebSocket from 'ws'

export type WireEvent = { position: string; id: string; event: string; instance: string; data: any; timestamp: string }

/**
 * Opens GET /api/v1/events/stream and collects events until `until` says stop (then disconnects).
 * `lastEventId` is sent as Last-Event-ID, the way EventSource resumes.
 */
export async function readSse(
  baseUrl: string,
  key: string,
  options: { lastEventId?: string; query?: string; until: (events: WireEvent[]) => boolean; timeoutMs?: number },
): Promise<{ events: WireEvent[]; ids: string[] }> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new Error('SSE read timed out')), options.timeoutMs ?? 60_000)
  const headers: Record<string, string> = { authorization: `Bearer ${key}` }
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId
  const events: WireEvent[] = []
  const ids: string[] = []
  try {
    const response = await fetch(`${baseUrl}/api/v1/events/stream${options.query ?? ''}`, { headers, signal: controller.signal })
    if (response.status !== 200) throw new Error(`stream: ${response.status} ${await response.text()}`)
    const decoder = new TextDecoder()
    let buffer = ''
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true })
      let end
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const fields = Object.fromEntries(block.split('\n').filter((line) => !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]))
        if (fields.data === undefined) continue
        const event = JSON.parse(fields.data) as WireEvent
        if (fields.event !== event.event) throw new Error(`SSE event name ${fields.event} ≠ ${event.event}`)
        events.push(event)
        ids.push(fields.id)
        if (options.until(events)) return { events, ids }
      }
    }
    throw new Error(`the stream ended after ${events.length} events`)
  } finally {
    clearTimeout(timer)
    controller.abort()
  }
}

/** The same over the WebSocket at /api/v1/events/ws (one JSON event per text message). */
export async function readWebSocket(
  baseUrl: string,
  /** null: no Authorization header (a `?ticket=` in the query stands for the key). */
  key: string | null,
  options: { lastEventId?: string; query?: string; until: (events: WireEvent[]) => boolean; timeoutMs?: number },
): Promise<WireEvent[]> {
  const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` }
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/events/ws${options.query ?? ''}`, { headers })
  const events: WireEvent[] = []
  try {
    return await new Promise<WireEvent[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`WebSocket read timed out after ${events.length} events`)), options.timeoutMs ?? 60_000)
      socket.on('message', (data) => {
        events.push(JSON.parse(String(data)))
        if (options.until(events)) {
          clearTimeout(timer)
          resolve(events)
        }
      })
      socket.on('unexpected-response', (_request, response) => {
        let body = ''
        response.on('data', (chunk) => (body += chunk))
        response.on('end', () => reject(Object.assign(new Error(`WebSocket refused: ${response.statusCode} ${body}`), { status: response.statusCode, body })))
      })
      socket.on('error', reject)
      socket.on('close', () => reject(new Error(`WebSocket closed after ${events.length} events`)))
    })
  } finally {
    socket.terminate()
  }
}
