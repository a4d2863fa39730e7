import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { base64UrlDecode, base64UrlEncode, decodeJwt, signUploadJwt, verifyHs256 } from '../jwt'

const text = new TextDecoder()
const part = (token: string, index: number): unknown =>
  JSON.parse(text.decode(base64UrlDecode(token.split('.')[index] ?? '') ?? new Uint8Array()))

describe('signUploadJwt', () => {
  it('writes the header {"alg":"HS256","typ":"JWT","kid":publicKey} byte for byte', async () => {
    const token = await signUploadJwt({
      publicKey: 'public_abc',
      privateKey: 'secret',
      fields: {},
      iat: 1,
      exp: 2,
    })
    const [header = ''] = token.split('.')
    expect(text.decode(base64UrlDecode(header) ?? new Uint8Array())).toBe(
      '{"alg":"HS256","typ":"JWT","kid":"public_abc"}',
    )
  })

  it('puts the wire strings and integer iat/exp in the payload, leaving out undefined, file and token', async () => {
    const token = await signUploadJwt({
      publicKey: 'pk',
      privateKey: 'secret',
      fields: { fileName: 'a.jpg', useUniqueFileName: 'false', tags: undefined, file: 'aGk=', token: 'x' },
      iat: 1700000000.7,
      exp: 1700001800,
    })
    expect(part(token, 1)).toEqual({
      fileName: 'a.jpg',
      useUniqueFileName: 'false',
      iat: 1700000000,
      exp: 1700001800,
    })
  })

  it('defaults iat to now and exp to 30 minutes later', async () => {
    const before = Math.floor(Date.now() / 1000)
    const token = await signUploadJwt({ publicKey: 'pk', privateKey: 'secret', fields: {} })
    const { iat, exp } = part(token, 1) as { iat: number; exp: number }
    expect(iat).toBeGreaterThanOrEqual(before)
    expect(exp - iat).toBe(1800)
  })

  it('signs with HMAC-SHA256 over header.payload, as any JWT library checks it', async () => {
    const token = await signUploadJwt({ publicKey: 'pk', privateKey: 'private_key_test', fields: { a: 'b' } })
    const [header, payload, signature] = token.split('.')
    const expected = createHmac('sha256', 'private_key_test')
      .update(`${header}.${payload}`)
      .digest('base64url')
    expect(signature).toBe(expected)
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
  })
})

describe('verifyHs256 and decodeJwt', () => {
  it('round-trips: a signed token decodes and verifies with its key only', async () => {
    const fields = { fileName: 'naïve café 東京.jpg', customMetadata: '{"a":1}' }
    const token = await signUploadJwt({ publicKey: 'pk', privateKey: 'secret', fields, iat: 10, exp: 20 })
    const decoded = decodeJwt(token)
    expect(decoded?.header).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'pk' })
    expect(decoded?.payload).toEqual({ ...fields, iat: 10, exp: 20 })
    expect(await verifyHs256(token, 'secret')).toBe(true)
    expect(await verifyHs256(token, 'other secret')).toBe(false)
  })

  it('refuses a token whose payload was changed after signing', async () => {
    const token = await signUploadJwt({
      publicKey: 'pk',
      privateKey: 'secret',
      fields: { useUniqueFileName: 'true' },
    })
    const [header, , signature] = token.split('.')
    const forged = base64UrlEncode(new TextEncoder().encode('{"useUniqueFileName":"false","iat":1,"exp":2}'))
    expect(await verifyHs256(`${header}.${forged}.${signature}`, 'secret')).toBe(false)
  })

  it('refuses alg "none" and any algorithm other than HS256', async () => {
    const encode = (value: unknown) => base64UrlEncode(new TextEncoder().encode(JSON.stringify(value)))
    const payload = encode({ iat: 1, exp: 2 })
    expect(await verifyHs256(`${encode({ alg: 'none', kid: 'pk' })}.${payload}.`, 'secret')).toBe(false)
    const hs512 = `${encode({ alg: 'HS512', kid: 'pk' })}.${payload}`
    const signature = createHmac('sha256', 'secret').update(hs512).digest('base64url')
    expect(await verifyHs256(`${hs512}.${signature}`, 'secret')).toBe(false)
  })

  it.each([
    ['not a jwt'],
    ['a.b'],
    ['a.b.c.d'],
    ['e30.e30'],
    ['!!!.e30.c2ln'],
    [`${base64UrlEncode(new TextEncoder().encode('[]'))}.e30.c2ln`],
    [`${base64UrlEncode(new TextEncoder().encode('{"typ":"JWT"}'))}.e30.c2ln`],
    [`${base64UrlEncode(new TextEncoder().encode('{"alg":"HS256"}'))}.bm90IGpzb24.c2ln`],
    [`${base64UrlEncode(new Uint8Array([0xff, 0xfe]))}.e30.c2ln`],
  ])('decodes %j as null and never verifies it', async (token) => {
    expect(decodeJwt(token)).toBeNull()
    expect(await verifyHs256(token, 'secret')).toBe(false)
  })
})

describe('base64url', () => {
  it('encodes without padding, with - and _ for + and /', () => {
    expect(base64UrlEncode(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_')
    expect(base64UrlEncode(new Uint8Array([1]))).toBe('AQ')
    expect(base64UrlEncode(new Uint8Array())).toBe('')
  })

  it('decodes with or without padding and refuses the standard alphabet and impossible lengths', () => {
    expect(base64UrlDecode('-_-_')).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]))
    expect(base64UrlDecode('AQ')).toEqual(new Uint8Array([1]))
    expect(base64UrlDecode('AQ==')).toEqual(new Uint8Array([1]))
    expect(base64UrlDecode('+/+/')).toBeNull()
    expect(base64UrlDecode('A')).toBeNull()
    expect(base64UrlDecode('A A')).toBeNull()
  })

  it('round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(base64UrlDecode(base64UrlEncode(bytes))).toEqual(bytes)
  })
})
