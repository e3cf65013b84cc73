// An instance's proxy: the SSRF rule for its host, sealing at rest, and the URL the agents take.
import { randomBytes, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'

process.env.SAGE_ENCRYPTION_KEY = randomBytes(32).toString('hex')
const { checkProxyHost, proxyUrl, sealProxy, unsealProxy, UnsafeProxyError } = await import('./proxy')

const publicResolver = async () => [{ address: '93.184.216.34', family: 4 as const }]

describe('checkProxyHost', () => {
  it('refuses loopback, private, link-local and names that resolve to them', async () => {
    for (const host of ['127.0.0.1', '10.1.2.3', '192.168.0.10', '169.254.169.254', '::1', 'fd00::1']) {
      await expect(checkProxyHost(host, { allowPrivate: false }), host).rejects.toBeInstanceOf(UnsafeProxyError)
    }
    const rebinding = async () => [{ address: '93.184.216.34', family: 4 as const }, { address: '10.0.0.5', family: 4 as const }]
    await expect(checkProxyHost('proxy.example.com', { allowPrivate: false, resolveHost: rebinding })).rejects.toThrow(/resolves to 10\.0\.0\.5/)
    await expect(checkProxyHost('nowhere.example', { allowPrivate: false, resolveHost: async () => [] })).rejects.toThrow(/could not be resolved/)
  })

  it('allows public hosts, and private ones only when the operator allows them', async () => {
    expect(await checkProxyHost('proxy.example.com', { allowPrivate: false, resolveHost: publicResolver })).toEqual([{ address: '93.184.216.34', family: 4 }])
    expect(await checkProxyHost('127.0.0.1', { allowPrivate: true })).toEqual([{ address: '127.0.0.1', family: 4 }])
  })
})

describe('sealing', () => {
  const proxy = { protocol: 'socks5' as const, host: 'proxy.example.com', port: 1080, username: 'acme', password: 'very secret' }

  it('round-trips, hides the password, and opens only for its own instance', () => {
    const instanceId = randomUUID()
    const sealed = sealProxy(instanceId, proxy)
    expect(sealed.includes(Buffer.from('very secret'))).toBe(false)
    expect(unsealProxy(instanceId, sealed)).toEqual(proxy)
    expect(() => unsealProxy(randomUUID(), sealed)).toThrow()
  })

  it('builds agent URLs with encoded credentials and bracketed IPv6 hosts', () => {
    expect(proxyUrl({ ...proxy, password: 'p@ss:w/rd' })).toBe('socks5://acme:p%40ss%3Aw%2Frd@proxy.example.com:1080')
    expect(proxyUrl({ ...proxy, username: null, password: null }, '2001:db8::1')).toBe('socks5://[2001:db8::1]:1080')
  })
})
