import ipaddr from 'ipaddr.js'

export type ParsedCidr = [ipaddr.IPv4 | ipaddr.IPv6, number]

/** Normalises IPv4-mapped IPv6 (::ffff:10.0.0.1) to IPv4 so one rule matches both spellings. */
export function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const trimmed = address.trim().replace(/^\[|\]$/g, '')
  if (!ipaddr.isValid(trimmed)) return undefined
  return ipaddr.process(trimmed)
}

/** Accepts a CIDR or a bare address (treated as /32 or /128). Returns undefined when invalid. */
export function parseCidr(value: string): ParsedCidr | undefined {
  const trimmed = value.trim()
  try {
    if (trimmed.includes('/')) return ipaddr.parseCIDR(trimmed)
    const address = parseAddress(trimmed)
    return address ? [address, address.kind() === 'ipv4' ? 32 : 128] : undefined
  } catch {
    return undefined
  }
}

/** Canonical text of a CIDR ("10.0.0.0/8"), used for storage and display. */
export function normaliseCidr(value: string): string | undefined {
  const parsed = parseCidr(value)
  if (!parsed) return undefined
  const [address, bits] = parsed
  const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`) : ipaddr.IPv6.networkAddressFromCIDR(`${address}/${bits}`)
  return `${network.toString()}/${bits}`
}

export function addressInCidrs(address: string, cidrs: readonly string[]): boolean {
  const parsed = parseAddress(address)
  if (!parsed) return false
  return cidrs.some((cidr) => {
    const range = parseCidr(cidr)
    return range !== undefined && range[0].kind() === parsed.kind() && parsed.match(range)
  })
}
