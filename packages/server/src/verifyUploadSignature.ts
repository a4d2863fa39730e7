import { safeEqual, signUploadToken } from '@ik-upload/core/protocol'

/** What `verifyUploadSignature` takes: the three auth fields of a v1 upload and the key. */
export interface VerifyUploadSignatureOptions {
  privateKey: string
  token: string
  /** As sent on the wire (decimal digits) or as a number. */
  expire: string | number
  signature: string
}

/**
 * Whether `signature` is `HMAC-SHA1(privateKey, token + expire)`, compared in constant time so a
 * signature cannot be guessed one character at a time from response timings. It checks the
 * signature only: the expiry window and token reuse are the upload server's checks.
 */
export async function verifyUploadSignature(options: VerifyUploadSignatureOptions): Promise<boolean> {
  const { privateKey, token, expire, signature } = options
  if (!privateKey || typeof token !== 'string' || typeof signature !== 'string') return false
  // Lowercase hex only, exactly as the upload server judges it (the spec's signature is lowercase).
  return safeEqual(signature, await signUploadToken(privateKey, token, expire))
}
