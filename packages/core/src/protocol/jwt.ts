/**
 * The HS256 JWT of v2 client-side uploads (spec section 6), with WebCrypto and `btoa`/`atob` only:
 * no Node `Buffer`, so it runs in browsers, workers and Node 20 alike.
 */
import { hmacKeyBytes } from './signature'

/** The longest a v2 upload token may live: `exp - iat <= 3600`. */
export const MAX_JWT_LIFETIME_SECONDS = 3600

/** The lifetime `signUploadJwt` gives a token when no `exp` is passed, as the v1 helpers do for `expire`. */
export const DEFAULT_JWT_LIFETIME_SECONDS = 1800

/** The JOSE header of an upload token. */
export interface JwtHeader {
  alg: string
  typ?: string
  kid?: string
  [name: string]: unknown
}

/** A JWT split into its parts, its signature not yet checked. */
export interface DecodedJwt {
  header: JwtHeader
  payload: Record<string, unknown>
  /** `base64url(header) + "." + base64url(payload)`, the bytes the signature covers. */
  signingInput: string
  signature: Uint8Array<ArrayBuffer>
}

/** What `signUploadJwt` needs. */
export interface SignUploadJwtOptions {
  /** The account's public key; goes in the header as `kid`. */
  publicKey: string
  /** The account's private key; the HMAC key. Never ship it to a browser. */
  privateKey: string
  /** The upload fields as wire strings; `undefined` ones are left out, as they are not sent. */
  fields: Readonly<Record<string, string | undefined>>
  /** Issued-at, Unix seconds. @default now */
  iat?: number
  /** Expiry, Unix seconds; at most `iat + 3600` for the server to take it. @default iat + 1800 */
  exp?: number
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** base64url without padding (RFC 7515), from bytes. */
export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Bytes from base64url (padding optional), or `null` when it is not base64url. */
export function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> | null {
  // atob would accept `+`, `/` and whitespace; a JWT part may hold none of them.
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return null
  const base64 = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/')
  if (base64.length % 4 === 1) return null
  try {
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
    return Uint8Array.from(binary, (char) => char.charCodeAt(0))
  } catch {
    return null
  }
}

const encodeJson = (value: unknown): string => base64UrlEncode(encoder.encode(JSON.stringify(value)))

function decodeJsonObject(part: string): Record<string, unknown> | null {
  const bytes = base64UrlDecode(part)
  if (!bytes) return null
  try {
    const value: unknown = JSON.parse(decoder.decode(bytes))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}

function hs256Key(key: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', hmacKeyBytes(key), { name: 'HMAC', hash: 'SHA-256' }, false, [usage])
}

/**
 * Signs a v2 upload token: header `{"alg":"HS256","typ":"JWT","kid":publicKey}`, payload = the
 * upload fields as wire strings plus integer `iat` and `exp`. `file` and `token` are never part of
 * the payload (spec section 6), so they are left out if passed.
 */
export async function signUploadJwt(options: SignUploadJwtOptions): Promise<string> {
  const { publicKey, privateKey, fields } = options
  const iat = Math.floor(options.iat ?? Date.now() / 1000)
  const exp = Math.floor(options.exp ?? iat + DEFAULT_JWT_LIFETIME_SECONDS)
  const payload: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && name !== 'file' && name !== 'token') payload[name] = value
  }
  payload.iat = iat
  payload.exp = exp
  const signingInput = `${encodeJson({ alg: 'HS256', typ: 'JWT', kid: publicKey })}.${encodeJson(payload)}`
  const key = await hs256Key(privateKey, 'sign')
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(signingInput)))
  return `${signingInput}.${base64UrlEncode(signature)}`
}

/**
 * Splits a compact JWT into header, payload and signature without checking the signature, or
 * returns `null` when it is not three base64url parts with JSON objects in the first two.
 */
export function decodeJwt(token: string): DecodedJwt | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts
  const header = decodeJsonObject(headerPart)
  const payload = decodeJsonObject(payloadPart)
  const signature = base64UrlDecode(signaturePart)
  if (!header || !payload || !signature || typeof header.alg !== 'string') return null
  return { header: header as JwtHeader, payload, signingInput: `${headerPart}.${payloadPart}`, signature }
}

/**
 * Whether `token` is a well-formed JWT with `alg` `HS256` whose signature was made with `key`.
 * Only HS256 is accepted, so a token cannot pick a weaker algorithm (or `none`) for itself.
 */
export async function verifyHs256(token: string, key: string): Promise<boolean> {
  const decoded = decodeJwt(token)
  if (decoded?.header.alg !== 'HS256') return false
  const cryptoKey = await hs256Key(key, 'verify')
  // subtle.verify compares in constant time.
  return crypto.subtle.verify('HMAC', cryptoKey, decoded.signature, encoder.encode(decoded.signingInput))
}
