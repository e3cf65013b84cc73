// Local HTTPS media host: takes Baileys' encrypted uploads, serves blobs back for downloads, and
// lets the simulator read what was uploaded. HTTPS because Baileys hard-codes https:// for uploads
// (node_modules/@whiskeysockets/baileys/lib/Utils/messages-media.js, `getWAUploadToServer`).
import { createServer, type Server } from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { proto } from '@whiskeysockets/baileys'
import { node, type BinaryNode } from './binary.js'
import { decryptMedia, encryptMedia, sha256 } from './media-crypto.js'
import { makeMediaTls, type MediaTls } from './tls-cert.js'
import type { ReceivedMessage } from './state.js'

const MEDIA_FIELDS = ['imageMessage', 'videoMessage', 'ptvMessage', 'audioMessage', 'documentMessage', 'stickerMessage'] as const
// A video note is a video on the wire: its key comes from the video key info (Baileys: prepareWAMessageMedia uploads it as `video`).
const KEY_TYPE: Record<(typeof MEDIA_FIELDS)[number], string> = {
  imageMessage: 'image', videoMessage: 'video', ptvMessage: 'video', audioMessage: 'audio', documentMessage: 'document', stickerMessage: 'sticker'
}

export interface MediaHost {
  url: string
  hostname: string
  caPem: string
  caPath: string
  mediaConnNode(): BinaryNode
  decryptAttached(message: proto.IMessage): Promise<ReceivedMessage['media']>
  /** Encrypts and stores bytes the way a phone would before sending media. */
  storeOutgoing(bytes: Buffer, mediaType: string): { url: string; directPath: string; mediaKey: Buffer; fileSha256: Buffer; fileEncSha256: Buffer; fileLength: number }
  uploads(): { directPath: string; length: number; at: number }[]
  close(): Promise<void>
}

/** The media CA and server key persist in the data dir so a worker's trust survives restarts. */
function loadOrMakeTls(host: string, dataDir?: string): { tls: MediaTls; caPath: string } {
  const dir = dataDir ? join(dataDir, 'media-tls') : mkdtempSync(join(tmpdir(), 'wa-sim-media-'))
  mkdirSync(dir, { recursive: true })
  const files = { caPem: join(dir, 'ca.pem'), certPem: join(dir, 'cert.pem'), keyPem: join(dir, 'key.pem') }
  if (dataDir && existsSync(files.caPem) && existsSync(files.certPem) && existsSync(files.keyPem)) {
    return { tls: { caPem: readFileSync(files.caPem, 'utf8'), certPem: readFileSync(files.certPem, 'utf8'), keyPem: readFileSync(files.keyPem, 'utf8') }, caPath: files.caPem }
  }
  const tls = makeMediaTls(host)
  writeFileSync(files.caPem, tls.caPem)
  writeFileSync(files.certPem, tls.certPem)
  writeFileSync(files.keyPem, tls.keyPem, { mode: 0o600 })
  return { tls, caPath: files.caPem }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export async function startMediaHost(opts: { host: string; port: number; dataDir?: string }): Promise<MediaHost> {
  const { tls, caPath } = loadOrMakeTls(opts.host, opts.dataDir)
  const blobDir = opts.dataDir ? join(opts.dataDir, 'media') : undefined
  if (blobDir) mkdirSync(blobDir, { recursive: true })
  const blobs = new Map<string, { blob: Buffer; at: number }>()
  const auth = randomBytes(12).toString('base64url')
  let base = ''

  const put = (directPath: string, blob: Buffer) => {
    blobs.set(directPath, { blob, at: Date.now() })
    if (blobDir) writeFileSync(join(blobDir, directPath.split('/').pop()!), blob)
  }
  const get = (directPath: string): Buffer | undefined => {
    const hit = blobs.get(directPath)?.blob
    if (hit || !blobDir) return hit
    const file = join(blobDir, directPath.split('/').pop()!)
    return directPath.startsWith('/v/sim/') && existsSync(file) ? readFileSync(file) : undefined
  }
  const newPath = () => `/v/sim/${randomBytes(16).toString('hex')}.enc`

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'https://x')
    if (req.method === 'POST' && url.pathname.startsWith('/mms/')) {
      if (url.searchParams.get('auth') !== auth) return res.writeHead(401).end('{"error":"bad auth"}')
      const blob = await readBody(req)
      const token = url.pathname.split('/').pop()
      // The upload token is base64url(fileEncSha256): a cheap integrity check.
      if (token && token !== sha256(blob).toString('base64url')) return res.writeHead(400).end('{"error":"hash mismatch"}')
      const directPath = newPath()
      put(directPath, blob)
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ url: `${base}${directPath}`, direct_path: directPath }))
    }
    if (req.method === 'GET') {
      const blob = get(url.pathname)
      if (!blob) return res.writeHead(404).end()
      const range = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '')
      if (range) {
        const start = Number(range[1])
        const end = range[2] ? Math.min(Number(range[2]), blob.length - 1) : blob.length - 1
        res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${blob.length}`, 'content-length': end - start + 1 })
        return res.end(blob.subarray(start, end + 1))
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length })
      return res.end(blob)
    }
    res.writeHead(404).end()
  }

  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end())
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve((server.address() as AddressInfo).port))
  })
  const hostname = `${opts.host}:${port}`
  base = `https://${hostname}`

  return {
    url: base,
    hostname,
    caPem: tls.caPem,
    caPath,
    mediaConnNode: () => node('media_conn', { auth, ttl: 3600 }, [node('host', { hostname, maxContentLengthBytes: 104857600 })]),
    async decryptAttached(message) {
      for (const field of MEDIA_FIELDS) {
        const m = message[field] as proto.Message.IImageMessage | null | undefined
        if (!m?.directPath || !m.mediaKey) continue
        const blob = get(m.directPath.split('?')[0])
        if (!blob) return { base64: '', sha256: '', length: 0, ok: false, error: 'blob not found on media host' }
        try {
          const plain = decryptMedia(blob, Buffer.from(m.mediaKey), KEY_TYPE[field])
          const digest = sha256(plain)
          const ok = !m.fileSha256 || digest.equals(Buffer.from(m.fileSha256))
          return { base64: plain.toString('base64'), sha256: digest.toString('base64'), length: plain.length, ok, error: ok ? undefined : 'fileSha256 mismatch' }
        } catch (err) {
          return { base64: '', sha256: '', length: 0, ok: false, error: String(err) }
        }
      }
      return undefined
    },
    storeOutgoing(bytes, mediaType) {
      const enc = encryptMedia(bytes, mediaType)
      const directPath = newPath()
      put(directPath, enc.blob)
      return { url: `${base}${directPath}`, directPath, mediaKey: enc.mediaKey, fileSha256: enc.fileSha256, fileEncSha256: enc.fileEncSha256, fileLength: enc.fileLength }
    },
    uploads: () => [...blobs.entries()].map(([directPath, v]) => ({ directPath, length: v.blob.length, at: v.at })),
    close: () => new Promise<void>((r) => {
      server.closeAllConnections()
      server.close(() => r())
    })
  }
}
