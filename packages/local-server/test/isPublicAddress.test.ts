import { describe, expect, it } from 'vitest'
import { isPublicAddress } from '../src/isPublicAddress'

// The SSRF guard's address judge. Issue 9, defect 10: `::127.0.0.1`, `2002:7f00:1::1`,
// `64:ff9b:1::a00:1` and `::7f00:1` were judged public, since a hand-written range list knew only
// `::ffff:a.b.c.d` among the IPv6 forms that carry an IPv4 address.

const refused: [address: string, why: string][] = [
  // IPv4
  ['127.0.0.1', 'loopback'],
  ['127.1.2.3', 'loopback, anywhere in 127/8'],
  ['10.0.0.8', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private, last of 172.16/12'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'link-local: cloud metadata'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['0.0.0.0', 'unspecified: Linux connects it to loopback'],
  ['0.1.2.3', '"this network", 0/8'],
  ['192.0.0.8', 'IETF protocol assignments'],
  ['192.0.2.1', 'documentation'],
  ['198.18.0.1', 'benchmarking'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['224.0.0.1', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  // IPv4 written as inet_aton reads it
  ['127.1', 'loopback, short form'],
  ['0x7f.1', 'loopback, hex short form'],
  ['0x7f000001', 'loopback, one hex number'],
  ['2130706433', 'loopback, one decimal number'],
  ['0177.0.0.1', 'loopback, octal'],
  ['012.0.0.1', 'private 10.0.0.1, octal'],
  // IPv6
  ['::1', 'loopback'],
  ['[::1]', 'loopback, URL brackets'],
  ['::', 'unspecified'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local with a zone'],
  ['fd00::1', 'unique local'],
  ['fc00::1', 'unique local'],
  ['fec0::1', 'deprecated site-local'],
  ['ff02::1', 'multicast'],
  ['100::1', 'discard-only'],
  ['2001:db8::1', 'documentation'],
  ['2001:2::1', 'benchmarking'],
  // IPv6 forms that carry an IPv4 address
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'IPv4-mapped loopback, in hex'],
  ['::ffff:a00:1', 'IPv4-mapped private, in hex'],
  ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
  ['::ffff:0:a00:1', 'IPv4-translated (RFC 6145) private'],
  ['::127.0.0.1', 'IPv4-compatible loopback'],
  ['::7f00:1', 'IPv4-compatible loopback, in hex'],
  ['[::7f00:1]', 'IPv4-compatible loopback, URL brackets'],
  ['::a9fe:a9fe', 'IPv4-compatible metadata'],
  ['2002:7f00:1::1', '6to4 over loopback'],
  ['2002:a00:1::', '6to4 over private'],
  ['2002:a9fe:a9fe:1::5', '6to4 over link-local'],
  ['64:ff9b::7f00:1', 'NAT64 of loopback'],
  ['64:ff9b::10.0.0.1', 'NAT64 of private'],
  ['64:ff9b::a9fe:a9fe', 'NAT64 of metadata'],
  ['64:ff9b:1::a00:1', 'local-use NAT64 (RFC 8215)'],
  ['64:ff9b:1::808:808', 'local-use NAT64 (RFC 8215), even of a public address'],
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo whose client is 127.0.0.1'],
  ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'Teredo whose client is 10.0.0.1'],
  ['2001:0:a00:1:8000:63bf:f7f7:f7f7', 'Teredo whose server is 10.0.0.1'],
  ['2001:db8::5efe:a00:1', 'ISATAP over private'],
  ['2001:db8:1::200:5efe:7f00:1', 'ISATAP over loopback'],
  // Not addresses at all
  ['not-an-ip', 'a name'],
  ['', 'nothing'],
  ['1.2.3.4.5', 'five parts'],
  ['256.0.0.1', 'an octet over 255'],
  ['::ffff:127.0.0.1:80', 'a port'],
]

const allowed: [address: string, why: string][] = [
  ['8.8.8.8', 'public'],
  ['1.1.1.1', 'public'],
  ['172.32.0.1', 'just past 172.16/12'],
  ['100.128.0.1', 'just past 100.64/10'],
  ['11.0.0.1', 'just past 10/8'],
  ['2606:4700:4700::1111', 'global unicast'],
  ['[2a00:1450:4001:81a::200e]', 'global unicast, URL brackets'],
  ['::ffff:8.8.8.8', 'IPv4-mapped public'],
  ['::ffff:808:808', 'IPv4-mapped public, in hex'],
  ['64:ff9b::8.8.8.8', 'NAT64 of public: what DNS64 answers on an IPv6-only network'],
  ['2002:808:808::1', '6to4 over public'],
  ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'Teredo with public server and client'],
  ['2001:4860:4860::8888', 'global unicast'],
]

describe('isPublicAddress', () => {
  it.each(refused)('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false)
  })

  it.each(allowed)('allows %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(true)
  })
})
