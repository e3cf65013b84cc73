import { describe, expect, it, vi } from 'vitest'
import { NextRequest } from 'next/server'
import { z } from 'zod'
import { apiRoute, noAuth } from './handler'
import { ApiError } from './errors'
import { methods } from './methods'
import { log } from '@/lib/log'

const context = { params: Promise.resolve({}) }

function post(body: string, headers: Record<string, string> = {}) {
  return new NextRequest('http://localhost/api/v1/test', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  })
}

const Body = z.object({ number: z.string().regex(/^\d{10,15}$/, 'digits only, 10–15'), text: z.string().min(1) })

describe('apiRoute', () => {
  const echo = apiRoute({ auth: noAuth, body: Body }, ({ body }) => Response.json(body))

  it('passes a valid body to the handler and sets a request id', async () => {
    const response = await echo(post('{"number":"919876543210","text":"hi"}'), context)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ number: '919876543210', text: 'hi' })
    expect(response.headers.get('x-request-id')).toMatch(/^req_[\w-]{16}$/)
  })

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await echo(post('{"number": '), context)
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.error).toBe('invalid_json')
    expect(body.requestId).toBe(response.headers.get('x-request-id'))
  })

  it('lists every failing field in invalid_request details', async () => {
    const response = await echo(post('{"number":"12ab","text":""}'), context)
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.error).toBe('invalid_request')
    expect(body.details).toEqual(
      expect.arrayContaining([
        { field: 'number', message: 'digits only, 10–15' },
        expect.objectContaining({ field: 'text' }),
      ]),
    )
  })

  it('refuses a body over the size limit with 413', async () => {
    const small = apiRoute({ auth: noAuth, body: Body, maxBodyBytes: 64 }, () => Response.json({}))
    const response = await small(post(JSON.stringify({ number: '919876543210', text: 'x'.repeat(100) })), context)
    expect(response.status).toBe(413)
    expect((await response.json()).error).toBe('payload_too_large')
  })

  it('turns an unexpected exception into 500 internal_error without a stack, logged with the request id', async () => {
    const logged = vi.spyOn(log, 'error')
    const failing = apiRoute({ auth: noAuth }, () => {
      throw new Error('database password is hunter2')
    })
    const response = await failing(new NextRequest('http://localhost/api/v1/test'), context)
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('at ')
    const body = JSON.parse(text)
    expect(body.error).toBe('internal_error')
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ requestId: body.requestId }), 'unhandled error')
  })

  it('keeps headers from the authenticator on error responses too', async () => {
    const limited = apiRoute(
      { auth: async () => ({ auth: 'key', headers: { 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '59' } }) },
      () => {
        throw new ApiError('instance_not_connected')
      },
    )
    const response = await limited(new NextRequest('http://localhost/api/v1/test'), context)
    expect(response.status).toBe(409)
    expect(response.headers.get('x-ratelimit-remaining')).toBe('59')
  })
})

describe('methods', () => {
  it('answers methods a route does not serve with a JSON 405 and an Allow header', async () => {
    const route = methods({ GET: apiRoute({ auth: noAuth }, () => Response.json({ ok: true })) })
    const response = await route.DELETE(new NextRequest('http://localhost/x', { method: 'DELETE' }), context)
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('GET')
    expect((await response.json()).error).toBe('method_not_allowed')
    expect((await route.GET(new NextRequest('http://localhost/x'), context)).status).toBe(200)
  })
})
