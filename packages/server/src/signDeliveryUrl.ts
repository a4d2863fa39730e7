import { buildSrc, type SrcOptions } from '@ik-upload/core'
import { NO_EXPIRY, signDeliveryPath } from '@ik-upload/core/protocol'

/** What `signDeliveryUrl` takes: the key, the endpoint, and the URL (or what to build it from). */
export interface SignDeliveryUrlOptions extends Partial<Omit<SrcOptions, 'urlEndpoint'>> {
  /** The account's private key. Keep it on the server. */
  privateKey: string
  /** The URL endpoint the URL belongs to, e.g. `https://ik.imagekit.io/your_id`. */
  urlEndpoint: string
  /**
   * A delivery URL already built, e.g. the one `IKImage`'s `signedUrl` hook sends you; it must
   * start with `urlEndpoint + "/"`. Or leave it out and give `src` (with `transformation`,
   * `transformationPosition`, `queryParameters`), built with `buildSrc`. @default none
   */
  url?: string
  /** Seconds the URL stays valid (`ik-t`). @default none: it never expires and carries `ik-s` alone, as ImageKit's SDKs do */
  expiresIn?: number
  /** The clock, in ms. @default Date.now */
  now?: () => number
}

const fail = (message: string) => new TypeError(`signDeliveryUrl: ${message}`)

/**
 * A signed delivery URL for a private file, as ImageKit's SDKs sign them and ImageKit and the
 * local server check them (spec section 5): `ik-s` = lowercase hex HMAC-SHA1(privateKey, <the URL
 * after urlEndpoint + "/"> + <ik-t, or 9999999999 without an expiry>), appended with `ik-t` (when
 * `expiresIn` is given) to the URL's query, before any `#fragment`.
 *
 * The browser never holds the private key: serve this from your backend, after checking that the
 * user may see the file, and call it from `IKImage`/`IKVideo`'s `signedUrl`. Bad options (no key, a
 * URL of another endpoint, an expiry that is not a positive number) throw a `TypeError` at once.
 *
 * @example
 * // GET /api/signed-url?url=...  (after your own permission check)
 * const signed = await signDeliveryUrl({ privateKey, urlEndpoint, url, expiresIn: 600 })
 */
export function signDeliveryUrl(options: SignDeliveryUrlOptions): Promise<string> {
  const { privateKey, url, src, expiresIn, now = Date.now } = options ?? {}
  if (!privateKey || typeof privateKey !== 'string') throw fail('privateKey is required to sign URLs.')
  if (typeof options.urlEndpoint !== 'string' || !options.urlEndpoint) throw fail('urlEndpoint is required.')
  const prefix = `${options.urlEndpoint.replace(/\/+$/, '')}/`
  const built = url ?? (src ? buildSrc({ ...options, src }) : '')
  if (!built.startsWith(prefix))
    throw fail(
      url === undefined && !built
        ? 'pass url, or a src that makes one with urlEndpoint.'
        : `the URL ${built || JSON.stringify(src)} is not under urlEndpoint ${prefix}.`,
    )
  if (/[?&]ik-[st]=/.test(built)) throw fail('the URL is signed already (it has ik-t or ik-s).')
  if (expiresIn !== undefined && !(Number.isFinite(expiresIn) && expiresIn > 0))
    throw fail(`expiresIn must be a positive number of seconds, got ${expiresIn}.`)
  const expiresAt = expiresIn === undefined ? undefined : Math.floor(now() / 1000) + Math.floor(expiresIn)
  const hash = built.indexOf('#')
  const base = hash < 0 ? built : built.slice(0, hash)
  return signDeliveryPath(privateKey, base.slice(prefix.length), expiresAt ?? NO_EXPIRY).then(
    (signature) =>
      `${base}${base.includes('?') ? '&' : '?'}${expiresAt === undefined ? '' : `ik-t=${expiresAt}&`}ik-s=${signature}${hash < 0 ? '' : built.slice(hash)}`,
  )
}
