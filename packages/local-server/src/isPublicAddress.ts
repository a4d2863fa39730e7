import { BlockList, isIP } from 'node:net'

/**
 * Addresses a downloaded `file` URL may not point at, so that the server cannot be used to reach
 * its own network (SSRF): loopback, private, link-local (cloud metadata lives at 169.254.169.254),
 * carrier-grade NAT, benchmarking, multicast and reserved ranges, and their IPv6 counterparts.
 */
const blocked = new BlockList()
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6')

/** The IPv4 address inside an IPv4-mapped (`::ffff:10.0.0.1`) or NAT64 IPv6 address. */
function embeddedIpv4(address: string): string | undefined {
  const match = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  return match?.[1]
}

/** Whether an IP address is a public, routable one (a URL may be downloaded from it). */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  const family = isIP(bare)
  if (family === 4) return !blocked.check(bare, 'ipv4')
  if (family !== 6) return false
  const v4 = embeddedIpv4(bare)
  if (v4) return isPublicAddress(v4)
  // A mapped address written in hex (::ffff:a00:1) hides its IPv4 part: refuse every mapped form.
  return !blocked.check(bare, 'ipv6') && !/^::ffff:/i.test(bare)
}
