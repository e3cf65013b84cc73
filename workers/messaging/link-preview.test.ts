// The link-preview fetch against a real local HTTP server: title, description and thumbnail when
// private addresses are allowed; nothing fetched at all when they are not.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { firstLink, linkPreviewOf } from './link-preview'

const requests: string[] = []
const picture = await sharp({ create: { width: 400, height: 200, channels: 3, background: { r: 0, g: 128, b: 255 } } }).png().toBuffer()
const server = http.createServer((request, response) => {
  requests.push(request.url ?? '')
  if (request.url === '/logo.png') return response.writeHead(200, { 'content-type': 'image/png' }).end(picture)
  if (request.url === '/slow') return // never answers: the time limit ends it
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head>
    <meta property="og:title" content="Acme menu"><meta property="og:description" content="Fresh every day">
    <meta property="og:image" content="http://127.0.0.1:${(server.address() as AddressInfo).port}/logo.png"></head><body>menu</body></html>`)
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
afterAll(() => {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(resolve))
})
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

describe('link previews', () => {
  it('finds the first link in a text', () => {
    expect(firstLink('see https://example.com/a?b=1 and http://x.y')).toBe('https://example.com/a?b=1')
    expect(firstLink('no links here')).toBeUndefined()
  })

  it('reads the title, description and image of the first link (private addresses allowed)', async () => {
    const preview = await linkPreviewOf(`our menu: ${base}/menu`, { allowPrivate: true })
    expect(preview).toMatchObject({ 'matched-text': `${base}/menu`, title: 'Acme menu', description: 'Fresh every day' })
    expect(await sharp(preview!.jpegThumbnail!).metadata()).toMatchObject({ format: 'jpeg', width: 192 })
    expect(requests).toEqual(['/menu', '/logo.png'])
  })

  it('a private address without the setting: no preview, nothing fetched', async () => {
    const before = requests.length
    expect(await linkPreviewOf(`our menu: ${base}/menu`, { allowPrivate: false })).toBeUndefined()
    expect(requests.length).toBe(before)
  })

  it('a page that never answers: no preview once the time limit passes', async () => {
    expect(await linkPreviewOf(`${base}/slow`, { allowPrivate: true })).toBeUndefined()
  }, 15_000)
})
