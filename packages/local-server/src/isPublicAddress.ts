import ipaddr from 'ipaddr.js'

/*
 * Which addresses a downloaded `file` URL may point at, so that the server cannot be used to reach
 * its own network (SSRF). The ranges come from ipaddr.js, a maintained list of the IANA special
 * registries: only what it calls plain `unicast` is public. Loopback, private, link-local (cloud
 * metadata lives at 169.254.169.254), carrier-grade NAT, documentation, benchmarking, multicast,
 * unique-local, site-local and reserved ranges are all something else.
 *
 * IPv6 has several forms whose packets end at an IPv4 address written inside them; a hand-written
 * list that knew only `::ffff:a.b.c.d` let `::127.0.0.1`, `2002:7f00:1::1` and `64:ff9b:1::a00:1`
 * through (issue 9, defect 10). Each such form is decoded here and its IPv4 address judged again.
 */

type IPv4 = ipaddr.IPv4
type IPv6 = ipaddr.IPv6

/** The IPv4 address held by two 16-bit parts of an IPv6 address. */
function ipv4Of(high: number, low: number): IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff])
}

/**
 * The IPv4 addresses an IPv6 address carries, when it is one of the forms that embed IPv4 and
 * route (or translate, or tunnel) to them; `undefined` for an ordinary IPv6 address.
 */
function embeddedIpv4s(address: IPv6, range: string): IPv4[] | undefined {
  const [p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0] = address.parts
  const last32 = ipv4Of(p6, p7)
  switch (range) {
    // ::ffff:a.b.c.d (IPv4-mapped: a dual-stack socket connects over IPv4) and ::ffff:0:a.b.c.d
    // (RFC 6145, stateless translation).
    case 'ipv4Mapped':
    case 'rfc6145':
      return [last32]
    // 64:ff9b::/96, the well-known NAT64 prefix: the IPv4 address is the last 32 bits. (The
    // local-use 64:ff9b:1::/48 never gets here: see isPublicIpv6.)
    case 'rfc6052':
      return [last32]
    // 2002:AABB:CCDD::/48, 6to4: the tunnel's IPv4 end is the 32 bits after the prefix.
    case '6to4':
      return [ipv4Of(p1, p2)]
    // 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC, Teredo: the server's IPv4 address, then the client's
    // with every bit flipped (RFC 4380 section 4). Both are places the packets go.
    case 'teredo':
      return [ipv4Of(p2, p3), ipv4Of(p6 ^ 0xffff, p7 ^ 0xffff)]
    case 'unicast':
      // ::a.b.c.d, IPv4-compatible (deprecated by RFC 4291 but still parsed and routed by some
      // stacks); ipaddr.js files it under unicast. `::` and `::1` have ranges of their own.
      if (p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0 && p4 === 0 && p5 === 0) return [last32]
      // An ISATAP interface identifier (::0:5efe:a.b.c.d or ::200:5efe:a.b.c.d, RFC 5214): the
      // router tunnels to that IPv4 address.
      if ((p4 === 0 || p4 === 0x200) && p5 === 0x5efe) return [last32]
      return undefined
    default:
      return undefined
  }
}

function isPublicIpv4(address: IPv4): boolean {
  return address.range() === 'unicast'
}

function isPublicIpv6(address: IPv6): boolean {
  const range = address.range()
  // 64:ff9b:1::/48 (RFC 8215) is NAT64 for local use inside one operator's network, and where its
  // IPv4 address sits depends on a prefix length that operator picks (RFC 6052 section 2.2), so
  // it cannot be read reliably: refused whole. Public DNS64 answers use 64:ff9b::/96.
  if (range === 'rfc6052' && address.parts[2] !== 0) return false
  const embedded = embeddedIpv4s(address, range)
  if (embedded) return embedded.every(isPublicIpv4)
  return range === 'unicast'
}

/**
 * Whether an IP address is a public, routable one that a URL may be downloaded from. Accepts the
 * forms a URL host or a DNS answer can take: IPv4 (also the legacy `127.1`, `0x7f.1`, `2130706433`
 * that `inet_aton` reads), IPv6 with or without brackets and zone. Anything that is not an address
 * is not public.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '')
  if (!ipaddr.isValid(bare)) return false
  const parsed = ipaddr.parse(bare)
  return parsed.kind() === 'ipv4' ? isPublicIpv4(parsed as IPv4) : isPublicIpv6(parsed as IPv6)
}
