import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { verifyUploadSignature } from '../verifyUploadSignature'

/** Lowercase hex HMAC-SHA1, computed here with node:crypto rather than the code under test. */
const hmacHex = async (key: string, message: string) => createHmac('sha1', key).update(message).digest('hex')

const vector = {
  privateKey: 'private_key_test',
  token: 'your_token',
  expire: 1582269249,
  signature: 'e71bcd6031016b060d349d212e23e85c791decdd',
}

describe('verifyUploadSignature', () => {
  it("accepts the spec's test vector, with expire as a number or as wire digits", async () => {
    expect(await verifyUploadSignature(vector)).toBe(true)
    expect(await verifyUploadSignature({ ...vector, expire: '1582269249' })).toBe(true)
  })

  it('refuses a signature made with another key, token or expire', async () => {
    expect(await verifyUploadSignature({ ...vector, privateKey: 'other' })).toBe(false)
    expect(await verifyUploadSignature({ ...vector, token: 'your_token2' })).toBe(false)
    expect(await verifyUploadSignature({ ...vector, expire: 1582269250 })).toBe(false)
  })

  // Issue 9, defect 2: "your_token" + "0" + expire is the very message "your_token0" + expire.
  it('refuses the signature of (token + "0", expire) replayed as (token, "0" + expire)', async () => {
    const signed = { ...vector, token: 'your_token0' }
    signed.signature = await hmacHex(vector.privateKey, `${signed.token}${vector.expire}`)
    expect(await verifyUploadSignature(signed)).toBe(true)
    expect(await verifyUploadSignature({ ...signed, token: 'your_token', expire: `0${vector.expire}` })).toBe(
      false,
    )
  })

  it.each([
    ['a leading zero', `0${vector.expire}`],
    ['a plus sign', `+${vector.expire}`],
    ['spaces', ` ${vector.expire} `],
    ['an exponent', '1.582269249e9'],
    ['a fraction', `${vector.expire}.0`],
  ])('refuses an expire with %s even when the signature was made over it', async (_name, expire) => {
    const signature = await hmacHex(vector.privateKey, `${vector.token}${expire}`)
    expect(await verifyUploadSignature({ ...vector, expire, signature })).toBe(false)
  })

  it('refuses a number expire that does not print as plain digits', async () => {
    const signature = await hmacHex(vector.privateKey, `${vector.token}1e+21`)
    expect(await verifyUploadSignature({ ...vector, expire: 1e21, signature })).toBe(false)
  })

  it('refuses uppercase hex, as the upload server does', async () => {
    expect(await verifyUploadSignature({ ...vector, signature: vector.signature.toUpperCase() })).toBe(false)
  })

  it('refuses a truncated or empty signature and a missing key', async () => {
    expect(await verifyUploadSignature({ ...vector, signature: vector.signature.slice(0, 39) })).toBe(false)
    expect(await verifyUploadSignature({ ...vector, signature: '' })).toBe(false)
    expect(await verifyUploadSignature({ ...vector, privateKey: '' })).toBe(false)
  })
})
