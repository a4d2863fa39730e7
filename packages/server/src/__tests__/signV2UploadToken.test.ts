import { judgeV2UploadFields, MAX_JWT_LIFETIME_SECONDS } from '@ik-upload/core/protocol'
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { signV2UploadToken } from '../signV2UploadToken'

const privateKey = 'private_test_key'
const publicKey = 'public_test_key'
const secret = new TextEncoder().encode(privateKey)

const context = {
  privateKeyFor: (key: string) => (key === publicKey ? privateKey : undefined),
  isTokenUsed: () => false,
  markTokenUsed: () => {},
}

/** Every option of an upload, as the client puts it on the wire. */
const fields = {
  fileName: 'Photo 1.jpg',
  useUniqueFileName: 'false',
  tags: 'a,b',
  folder: '/users/42',
  isPrivateFile: 'true',
  customCoordinates: '10,10,100,100',
  responseFields: 'tags,metadata',
  isPublished: 'true',
  description: 'ünïcode ✓',
  overwriteFile: 'true',
  customMetadata: '{"price":10}',
  extensions: '[{"name":"remove-bg"}]',
  webhookUrl: 'https://app.example/hook',
  transformation: '{"pre":"w-100"}',
  checks: '"file.size" < "1mb"',
}

describe('signV2UploadToken', () => {
  it('makes a token jose verifies: HS256, kid = public key, every field as given, integer iat/exp 1800 s apart', async () => {
    const token = await signV2UploadToken({ privateKey, publicKey, fields })
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT', kid: publicKey })
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] })
    const { iat, exp, ...signed } = payload
    expect(signed).toEqual(fields)
    expect(Number.isInteger(iat) && Number.isInteger(exp)).toBe(true)
    expect((exp as number) - (iat as number)).toBe(1800)
    expect(Math.abs((iat as number) - Date.now() / 1000)).toBeLessThan(5)
    await expect(jwtVerify(token, new TextEncoder().encode('other_key'))).rejects.toThrow()
  })

  it('is accepted by the upload judge with exactly its fields', async () => {
    const token = await signV2UploadToken({ privateKey, publicKey, fields, expiresIn: 3600 })
    const verdict = await judgeV2UploadFields({ ...fields, token }, context)
    expect(verdict.ok).toBe(true)
    if (verdict.ok) expect(verdict.upload.folder).toBe('/users/42')
  })

  it('leaves undefined fields out, as they are not sent', async () => {
    const token = await signV2UploadToken({
      privateKey,
      publicKey,
      fields: { fileName: 'a.jpg', folder: undefined },
    })
    const { payload } = await jwtVerify(token, secret)
    expect(Object.keys(payload).sort()).toEqual(['exp', 'fileName', 'iat'])
  })

  it('refuses a lifetime over an hour, and options it cannot sign, at once', () => {
    expect(() =>
      signV2UploadToken({ privateKey, publicKey, fields, expiresIn: MAX_JWT_LIFETIME_SECONDS + 1 }),
    ).toThrow(
      /expiresIn must be a whole number of seconds from 1 to 3600 \(the upload API refuses a v2 token living more than an hour\), got 3601/,
    )
    expect(() => signV2UploadToken({ privateKey, publicKey, fields, expiresIn: 0 })).toThrow(RangeError)
    expect(() => signV2UploadToken({ privateKey: '', publicKey, fields })).toThrow(/privateKey is required/)
    expect(() => signV2UploadToken({ privateKey, publicKey: '', fields })).toThrow(/publicKey is required/)
    expect(() => signV2UploadToken({ privateKey, publicKey, fields: { token: 'x' } })).toThrow(
      /"token" cannot be signed/,
    )
    expect(() => signV2UploadToken({ privateKey, publicKey, fields: { exp: '1' } })).toThrow(
      /"exp" cannot be signed/,
    )
    expect(() =>
      signV2UploadToken({
        privateKey,
        publicKey,
        fields: { isPrivateFile: true } as unknown as Record<string, string>,
      }),
    ).toThrow(/"isPrivateFile" must be a string as sent on the wire, got boolean/)
  })
})

describe('the upload judge and a standard JWT library', () => {
  it("accepts a token made with jose's SignJWT over the fields", async () => {
    const now = Math.floor(Date.now() / 1000)
    const token = await new SignJWT({ ...fields })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: publicKey })
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(secret)
    const verdict = await judgeV2UploadFields({ ...fields, token }, context)
    expect(verdict).toMatchObject({ ok: true, upload: { fileName: 'Photo_1.jpg', isPrivateFile: true } })
  })

  it('refuses a jose token whose payload differs from the fields sent, or that jose signed with another key', async () => {
    const now = Math.floor(Date.now() / 1000)
    const sign = (key: Uint8Array) =>
      new SignJWT({ ...fields })
        .setProtectedHeader({ alg: 'HS256', kid: publicKey })
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(key)
    const token = await sign(secret)
    expect(await judgeV2UploadFields({ ...fields, folder: '/other', token }, context)).toMatchObject({
      ok: false,
    })
    const forged = await sign(new TextEncoder().encode('not_the_key'))
    expect(await judgeV2UploadFields({ ...fields, token: forged }, context)).toMatchObject({
      ok: false,
      message: 'Your request has invalid token.',
    })
  })
})
