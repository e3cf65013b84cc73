import { describe, expect, it } from 'vitest'
import bs58 from 'bs58'
import { bearerToken, displayPrefix, hashKey, looksLikeKey, mintKey } from './format'
import { addressInCidrs, normaliseCidr } from './cidr'
import { clientIp, PEER_HEADER } from './client-ip'

describe('key format', () => {
  it('mints sage_ + base58 of 192 random bits, stored only as a SHA-256 hash and a display prefix', () => {
    const minted = mintKey()
    expect(minted.plaintext).toMatch(/^sage_[1-9A-HJ-NP-Za-km-z]+$/)
    expect(bs58.decode(minted.plaintext.slice(5)).length).toBe(24)
    expect(minted.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(minted.hash).toBe(hashKey(minted.plaintext))
    expect(minted.prefix).toBe(displayPrefix(minted.plaintext))
    expect(minted.prefix.length).toBe(13)
    expect(minted.plaintext.startsWith(minted.prefix)).toBe(true)
    expect(mintKey().plaintext).not.toBe(minted.plaintext)
    expect(looksLikeKey(minted.plaintext)).toBe(true)
  })

  it('rejects malformed keys without a lookup', () => {
    for (const bad of ['', 'sage_', 'sage_0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl', 'key_abc', `sage_${'a'.repeat(100)}`]) {
      expect(looksLikeKey(bad)).toBe(false)
    }
  })

  it('reads only a well-formed Bearer header', () => {
    expect(bearerToken('Bearer sage_abc')).toBe('sage_abc')
    expect(bearerToken('bearer sage_abc')).toBe('sage_abc')
    expect(bearerToken('Basic sage_abc')).toBeUndefined()
    expect(bearerToken('Bearer a b')).toBeUndefined()
    expect(bearerToken(null)).toBeUndefined()
  })
})

describe('CIDR allowlists', () => {
  it('normalises IPv4, IPv6 and bare addresses, and refuses garbage', () => {
    expect(normaliseCidr('10.1.2.3/8')).toBe('10.0.0.0/8')
    expect(normaliseCidr('2001:db8::1/32')).toBe('2001:db8::/32')
    expect(normaliseCidr('203.0.113.7')).toBe('203.0.113.7/32')
    expect(normaliseCidr('::1')).toBe('::1/128')
    for (const bad of ['10.0.0.0/33', 'not-an-ip', '300.1.1.1/8', '2001:db8::/129', '']) expect(normaliseCidr(bad)).toBeUndefined()
  })

  it('matches IPv4, IPv6 and IPv4-mapped IPv6 addresses', () => {
    expect(addressInCidrs('10.9.8.7', ['10.0.0.0/8'])).toBe(true)
    expect(addressInCidrs('::ffff:10.9.8.7', ['10.0.0.0/8'])).toBe(true)
    expect(addressInCidrs('11.0.0.1', ['10.0.0.0/8'])).toBe(false)
    expect(addressInCidrs('2001:db8:1::5', ['2001:db8::/32'])).toBe(true)
    expect(addressInCidrs('2001:db9::5', ['2001:db8::/32', '10.0.0.0/8'])).toBe(false)
    expect(addressInCidrs('garbage', ['0.0.0.0/0'])).toBe(false)
  })
})

describe('client IP', () => {
  const headers = (peer: string, forwarded?: string) => {
    const result = new Headers({ [PEER_HEADER]: peer })
    if (forwarded) result.set('x-forwarded-for', forwarded)
    return result
  }

  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientIp(headers('::ffff:198.51.100.4', '10.0.0.1'), [])).toBe('198.51.100.4')
    expect(clientIp(headers('198.51.100.4', '10.0.0.1'), ['127.0.0.0/8'])).toBe('198.51.100.4')
  })

  it('walks X-Forwarded-For from the right past trusted proxies only', () => {
    const trusted = ['127.0.0.0/8', '10.0.0.0/8']
    expect(clientIp(headers('127.0.0.1', '203.0.113.9'), trusted)).toBe('203.0.113.9')
    expect(clientIp(headers('127.0.0.1', '1.2.3.4, 203.0.113.9, 10.0.0.2'), trusted)).toBe('203.0.113.9')
    expect(clientIp(headers('127.0.0.1', '10.0.0.3'), trusted)).toBe('10.0.0.3')
    expect(clientIp(headers('127.0.0.1', 'garbage'), trusted)).toBe('127.0.0.1')
    expect(clientIp(headers('127.0.0.1'), trusted)).toBe('127.0.0.1')
  })

  it('is unknown without the peer header (a request that bypassed our web server)', () => {
    expect(clientIp(new Headers({ 'x-forwarded-for': '1.2.3.4' }), [])).toBeUndefined()
  })
})
