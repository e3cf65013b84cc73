// Thin layer over Baileys' own stanza codec, so the simulator and the client can never disagree about token
// tables (node_modules/@whiskeysockets/baileys/lib/WABinary/encode.js, decode.js).
import { decodeBinaryNode, encodeBinaryNode, type BinaryNode } from '@whiskeysockets/baileys'

export type { BinaryNode }

export const SERVER_JID = '@s.whatsapp.net'

type Attrs = Record<string, string | number | boolean | undefined | null>

/**
 * Builds a node with every attribute stringified: Baileys' encoder counts a
 * non-string attribute in the list size but never writes it, which corrupts
 * the whole stanza ("end of stream" on the client).
 */
export function node(tag: string, attrs: Attrs = {}, content?: BinaryNode[] | Uint8Array | string): BinaryNode {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) clean[k] = String(v)
  }
  return content === undefined ? { tag, attrs: clean } : { tag, attrs: clean, content }
}

export const encodeNode = (n: BinaryNode): Buffer => Buffer.from(encodeBinaryNode(n))
export const decodeNode = (buf: Uint8Array): Promise<BinaryNode> => decodeBinaryNode(Buffer.from(buf))

export function children(n: BinaryNode | undefined, tag?: string): BinaryNode[] {
  if (!n || !Array.isArray(n.content)) return []
  return tag ? n.content.filter((c) => c.tag === tag) : n.content
}

export function child(n: BinaryNode | undefined, tag: string): BinaryNode | undefined {
  return children(n, tag)[0]
}

export function firstChild(n: BinaryNode | undefined): BinaryNode | undefined {
  return children(n)[0]
}

/** Decoded content is a Buffer for raw bytes but a JS string for packed/token forms. */
export function bytesOf(n: BinaryNode | undefined): Buffer {
  const c = n?.content
  if (c === undefined || c === null) return Buffer.alloc(0)
  if (typeof c === 'string') return Buffer.from(c, 'utf8')
  if (c instanceof Uint8Array) return Buffer.from(c)
  return Buffer.alloc(0)
}

export function textOf(n: BinaryNode | undefined): string {
  return bytesOf(n).toString('utf8')
}

export function be(value: number, length: number): Buffer {
  const out = Buffer.alloc(length)
  for (let i = length - 1; i >= 0; i--) {
    out[i] = value & 0xff
    value = Math.floor(value / 256)
  }
  return out
}

export function readBe(buf: Uint8Array): number {
  let v = 0
  for (const b of buf) v = v * 256 + b
  return v
}

export const unixNow = (): number => Math.floor(Date.now() / 1000)

export function iqResult(id: string, content?: BinaryNode[]): BinaryNode {
  return node('iq', { from: SERVER_JID, type: 'result', id }, content)
}

export function iqError(id: string, code: number, text: string): BinaryNode {
  return node('iq', { from: SERVER_JID, type: 'error', id }, [node('error', { code, text })])
}
