import { describe, expect, it } from 'vitest'
import { verifyUploadSignature } from '../verifyUploadSignature'

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

  it('refuses uppercase hex, as the upload server does', async () => {
    expect(await verifyUploadSignature({ ...vector, signature: vector.signature.toUpperCase() })).toBe(false)
  })

  it('refuses a truncated or empty signature and a missing key', async () => {
    expect(await verifyUploadSignature({ ...vector, signature: vector.signature.slice(0, 39) })).toBe(false)
    expect(await verifyUploadSignature({ ...vector, signature: '' })).toBe(false)
    expect(await verifyUploadSignature({ ...vector, privateKey: '' })).toBe(false)
  })
})
