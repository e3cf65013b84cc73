// The data plane as an integration calls it: Bearer key, JSON in, JSON (or text) out.

export type Api = (path: string, init?: RequestInit) => Promise<{ status: number; body: any; headers: Headers }>

/** `api('shop/message/sendText', {method: 'POST', body})` → /api/v1/instance/shop/message/sendText with the key. */
export function dataPlane(stack: { baseUrl: string }, apiKey: string): Api {
  return async (path, init = {}) => {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${apiKey}`)
    if (typeof init.body === 'string' && !headers.has('content-type')) headers.set('content-type', 'application/json')
    const response = await fetch(`${stack.baseUrl}/api/v1/instance/${path}`, { ...init, headers })
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {}
    return { status: response.status, body, headers: response.headers }
  }
}
