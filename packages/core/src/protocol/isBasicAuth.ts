/**
 * Whether an `Authorization` header value uses the Basic scheme (ours: the spec only names "Basic
 * auth"): the scheme in any case, then at least one space or tab, then credentials. RFC 9110 asks
 * for a space, but a tab is taken too: a header that carries the private key that way is still
 * Basic auth, and both judges must refuse it with a signature the same way.
 */
export function isBasicAuth(authorization: string | null | undefined): boolean {
  return /^[ \t]*basic[ \t]+\S/i.test(authorization ?? '')
}
