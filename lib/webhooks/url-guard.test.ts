// The SSRF guard's one rule for IPv6 forms that carry an IPv4 address: such an address is judged by
// the IPv4 address inside it, so no spelling of 127.0.0.1 or 169.254.169.254 gets through.
import { describe, expect, it } from 'vitest'
import { checkWebhookUrl, isPublicAddress, UnsafeUrlError } from './url-guard'

async function refusal(url: string): Promise<string | null> {
  try {
    await checkWebhookUrl(url, { allowPrivate: false })
    return null
  } catch (error) {
    if (error instanceof UnsafeUrlError) return error.message
    throw error
  }
}

// [form, IPv6 address, the IPv4 inside it]
const EMBEDDING_NON_PUBLIC: [string, string, string][] = [
  ['IPv4-compatible ::/96, dotted', '::127.0.0.1', '127.0.0.1'],
  ['IPv4-compatible ::/96, hex (metadata)', '::a9fe:a9fe', '169.254.169.254'],
  ['IPv4-compatible ::/96, private', '::10.0.0.1', '10.0.0.1'],
  ['IPv4-mapped ::ffff:0:0/96', '::ffff:127.0.0.1', '127.0.0.1'],
  ['IPv4-mapped ::ffff:0:0/96, hex (metadata)', '::ffff:a9fe:a9fe', '169.254.169.254'],
  ['IPv4-translated ::ffff:0:0:0/96', '::ffff:0:7f00:1', '127.0.0.1'],
  ['6to4 2002::/16', '2002:7f00:1::1', '127.0.0.1'],
  ['6to4 2002::/16 (metadata)', '2002:a9fe:a9fe::', '169.254.169.254'],
  ['NAT64 64:ff9b::/96', '64:ff9b::7f00:1', '127.0.0.1'],
  ['NAT64 64:ff9b::/96, dotted private', '64:ff9b::192.168.0.1', '192.168.0.1'],
  ['Teredo 2001::/32, client loopback', '2001:0:808:808:0:0:80ff:fffe', '127.0.0.1'],
  ['Teredo 2001::/32, server private', '2001:0:a00:1::1', '10.0.0.1'],
]

describe('IPv6 addresses that embed a non-public IPv4 address', () => {
  it.each(EMBEDDING_NON_PUBLIC)('%s (%s) is not public', (_form, address) => {
    expect(isPublicAddress(address)).toBe(false)
  })

  it.each(EMBEDDING_NON_PUBLIC)('%s: https://[%s]/ is refused, naming the embedded address', async (_form, address, ipv4) => {
    expect(await refusal(`https://[${address}]/hook`)).toContain(ipv4)
  })

  it('refuses the local-use NAT64 prefix 64:ff9b:1::/48, where the IPv4 can sit at any prefix length', async () => {
    expect(isPublicAddress('64:ff9b:1::7f00:1')).toBe(false)
    expect(isPublicAddress('64:ff9b:1:7f00:1::')).toBe(false)
    expect(await refusal('https://[64:ff9b:1::a9fe:a9fe]/hook')).toMatch(/local-use NAT64/)
  })

  it('a hostname resolving to such an address is refused too', async () => {
    const resolveHost = async () => [{ address: '::a9fe:a9fe', family: 6 as const }]
    await expect(checkWebhookUrl('https://hooks.example.com/x', { allowPrivate: false, resolveHost })).rejects.toThrow(/169\.254\.169\.254/)
  })
})

describe('what stays public', () => {
  it.each([
    ['plain IPv4', '93.184.215.14'],
    ['plain IPv6', '2606:4700:4700::1111'],
    ['IPv4-mapped public', '::ffff:93.184.215.14'],
    ['NAT64 of a public address', '64:ff9b::93.184.215.14'],
    ['6to4 of a public address', '2002:5db8:d70e::1'],
  ])('%s (%s)', (_form, address) => {
    expect(isPublicAddress(address)).toBe(true)
  })

  it('::1 and :: keep their own names', async () => {
    expect(await refusal('https://[::1]/hook')).toMatch(/loopback/)
    expect(await refusal('https://[::]/hook')).toMatch(/unspecified/)
  })
})
