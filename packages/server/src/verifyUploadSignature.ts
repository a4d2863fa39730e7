import { isCanonicalExpire, safeEqual, signUploadToken } from '@ik-upload/core/protocol'

/** What `verifyUploadSignature` takes: the three auth fields of a v1 upload and the key. */
export interface VerifyUploadSignatureOptions {
  privateKey: string
  token: string
  /** As sent on the wire (canonical decimal digits) or as a number. */
  expire: string | number
  signature: string
}

/**
 * Whether `signature` is `HMAC-SHA1(privateKey, token + expire)`, compared in constant time so a
 * signature cannot be guessed one character at a time from response timings. `expire` counts only
 * in canonical decimal (digits, the first not `0`: no sign, space, fraction or exponent), the form
 * the upload server answers with its expire error otherwise: the signature covers `token + expire`
 * as one string, so accepting `"0" + expire` would accept the same signature for the token with a
 * `0` cut off its end, and a single-use token could be replayed under another name. It checks the
 * signature only: the expiry window and token reuse are the upload server's checks (the window also
 * fixes how many digits `expire` has, so with canonical digits a signed message splits one way only).
 */
export async function verifyUploadSignature(options: VerifyUploadSignatureOptions): Promise<boolean> {
  const { privateKey, token, expire, signature } = options
  if (!privateKey || typeof token !== 'string' || typeof signature !== 'string') return false
  if (!isCanonicalExpire(expire)) return false
  // Lowercase hex only, exactly as the upload server judges it (the spec's signature is lowercase).
  return safeEqual(signature, await signUploadToken(privateKey, token, expire))
}
