// Just enough X.509 (DER) to mint a CA and a 127.0.0.1 server certificate with
// Node's own crypto, so the media host needs neither openssl nor a dependency.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  while (n > 0) {
    bytes.unshift(n & 0xff)
    n >>= 8
  }
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts)
  return Buffer.concat([Buffer.from([tag]), len(body.length), body])
}
const seq = (...parts: Buffer[]) => tlv(0x30, ...parts)
const set = (...parts: Buffer[]) => tlv(0x31, ...parts)
const octets = (b: Buffer) => tlv(0x04, b)
const bitString = (b: Buffer, unused = 0) => tlv(0x03, Buffer.from([unused]), b)
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]))
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'))
const explicit = (n: number, inner: Buffer) => tlv(0xa0 | n, inner)

function integer(b: Buffer): Buffer {
  let i = 0
  while (i < b.length - 1 && b[i] === 0) i++
  b = b.subarray(i)
  return tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b)
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number)
  const out = [a * 40 + b]
  for (const v of rest) {
    const chunk = [v & 0x7f]
    let x = v >> 7
    while (x > 0) {
      chunk.unshift((x & 0x7f) | 0x80)
      x >>= 7
    }
    out.push(...chunk)
  }
  return tlv(0x06, Buffer.from(out))
}

function utcTime(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0')
  const s = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`
  return tlv(0x17, Buffer.from(s))
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))))
const ext = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value))
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'))

export interface IssuedCert {
  certPem: string
  keyPem: string
  key: KeyObject
  spki: Buffer
  cn: string
}

function toPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`
}

function issue(opts: { cn: string; issuer?: IssuedCert; ca: boolean; ipSans?: string[]; dnsSans?: string[] }): IssuedCert {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  const keyId = createHash('sha1').update(spki).digest()
  const issuerKey = opts.issuer?.key ?? privateKey
  const issuerKeyId = opts.issuer ? createHash('sha1').update(opts.issuer.spki).digest() : keyId
  const now = Date.now()
  const extensions = [
    ext('2.5.29.19', true, opts.ca ? seq(bool(true)) : seq()),
    // CA: keyCertSign + cRLSign; leaf: digitalSignature
    ext('2.5.29.15', true, opts.ca ? bitString(Buffer.from([0x06]), 1) : bitString(Buffer.from([0x80]), 7)),
    ext('2.5.29.14', false, octets(keyId)),
    ext('2.5.29.35', false, seq(tlv(0x80, issuerKeyId)))
  ]
  if (!opts.ca) {
    extensions.push(ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))))
    const sans = [
      ...(opts.ipSans ?? []).map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
      ...(opts.dnsSans ?? []).map((d) => tlv(0x82, Buffer.from(d)))
    ]
    extensions.push(ext('2.5.29.17', false, seq(...sans)))
  }
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(createHash('sha256').update(spki).update(String(now)).digest().subarray(0, 16)),
    ECDSA_SHA256,
    name(opts.issuer?.cn ?? opts.cn),
    seq(utcTime(new Date(now - 86400_000)), utcTime(new Date(now + 5 * 365 * 86400_000))),
    name(opts.cn),
    spki,
    explicit(3, seq(...extensions))
  )
  const signature = sign('sha256', tbs, issuerKey)
  const der = seq(tbs, ECDSA_SHA256, bitString(signature))
  return { certPem: toPem(der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, key: privateKey, spki, cn: opts.cn }
}

export interface MediaTls {
  caPem: string
  certPem: string
  keyPem: string
}

export function makeMediaTls(host: string): MediaTls {
  const ca = issue({ cn: 'SAGE wa-simulator media CA', ca: true })
  const isIp = /^\d+\.\d+\.\d+\.\d+$/.test(host)
  const leaf = issue({
    cn: host,
    issuer: ca,
    ca: false,
    ipSans: [...new Set(isIp ? [host, '127.0.0.1'] : ['127.0.0.1'])],
    dnsSans: isIp ? ['localhost'] : [host, 'localhost']
  })
  return { caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem }
}
