/**
 * The HMAC signatures of the upload API (spec sections 5 and 6), with WebCrypto only, so the same
 * code signs and checks in browsers, workers and Node 20.
 */

/** The expiry that stands for "never" in a signed delivery URL without `ik-t` (spec section 5). */
export const NO_EXPIRY = 9_999_999_999

const encoder = new TextEncoder()

/**
 * The raw key bytes for an HMAC key. WebCrypto refuses zero-length HMAC keys, but HMAC pads every
 * key shorter than a block with zero bytes, so an empty key and a single `0x00` byte sign alike.
 */
export function hmacKeyBytes(key: string): Uint8Array<ArrayBuffer> {
  const bytes = encoder.encode(key)
  return bytes.length > 0 ? bytes : new Uint8Array(1)
}

/** Lowercase hex of some bytes. */
export function toHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0')
  return hex
}

// Importing a key costs about as much as the HMAC itself; a server signs with one or two keys, so
// the imported keys are kept (a few at most, so a stream of distinct keys cannot grow it).
const importedKeys = new Map<string, Promise<CryptoKey>>()

function importHmacKey(key: string): Promise<CryptoKey> {
  let imported = importedKeys.get(key)
  if (!imported) {
    if (importedKeys.size >= 16) importedKeys.clear()
    imported = crypto.subtle.importKey('raw', hmacKeyBytes(key), { name: 'HMAC', hash: 'SHA-1' }, false, [
      'sign',
    ])
    importedKeys.set(key, imported)
    // A failed import is not cached.
    imported.catch(() => importedKeys.delete(key))
  }
  return imported
}

/** Lowercase hex of `HMAC-SHA1(key, message)`, both taken as UTF-8. */
export async function hmacSha1Hex(key: string, message: string): Promise<string> {
  const cryptoKey = await importHmacKey(key)
  return toHex(new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message))))
}

/**
 * The v1 upload `signature`: `HMAC-SHA1(privateKey, token + expire)` as lowercase hex (spec
 * section 6). `expire` is written in decimal, as it goes on the wire.
 */
export function signUploadToken(privateKey: string, token: string, expire: number | string): Promise<string> {
  return hmacSha1Hex(privateKey, token + String(expire))
}

/**
 * The `ik-s` of a signed delivery URL (spec section 5): `HMAC-SHA1(privateKey, <url without
 * urlEndpoint + "/"> + <ik-t or 9999999999>)`. `pathAfterEndpoint` is what follows
 * `urlEndpoint + "/"`, query included (without `ik-t`/`ik-s`); a leading `/` is dropped, since it is
 * the one that ends that prefix, so a `filePath` can be passed as it is.
 */
export function signDeliveryPath(
  privateKey: string,
  pathAfterEndpoint: string,
  expiresAt?: number | string,
): Promise<string> {
  const path = pathAfterEndpoint.startsWith('/') ? pathAfterEndpoint.slice(1) : pathAfterEndpoint
  return hmacSha1Hex(privateKey, path + String(expiresAt ?? NO_EXPIRY))
}

/**
 * Compares two strings in time that depends only on their lengths, never on where they first
 * differ, so a signature cannot be guessed one character at a time from response timings.
 */
export function safeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length)
  // A length difference counts as a mismatch but does not end the loop early.
  let diff = a.length ^ b.length
  for (let i = 0; i < length; i++) {
    // Past the end of the shorter string charCodeAt gives NaN; `| 0` turns it into 0.
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  }
  return diff === 0
}
