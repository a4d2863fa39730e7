import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { encodeUploadFields } from '../fields'
import { type JudgeContext, judgeV2UploadFields } from '../judgeUploadRequest'
import { signUploadJwt } from '../jwt'

const PUBLIC_KEY = 'public_test_key'
const PRIVATE_KEY = 'private_key_test'
const NOW = 1_700_000_000

const INVALID_TOKEN = 'Your request has invalid token.'
const EXPIRED_TOKEN = 'Your request contains expired token.'
const MISMATCH =
  'Your request contains invalid payload. It does not match with the payload used to generate token.'

function memoryContext(): JudgeContext & { used: Set<string> } {
  const used = new Set<string>()
  return {
    used,
    nowSeconds: NOW,
    privateKeyFor: (publicKey) => (publicKey === PUBLIC_KEY ? PRIVATE_KEY : undefined),
    isTokenUsed: (token) => used.has(token),
    markTokenUsed: (token) => {
      used.add(token)
    },
  }
}

/** A v2 request: `fields` signed into the token (unless `sent` differs) and sent beside it. */
async function v2Request(
  fields: Record<string, string>,
  {
    sent = fields,
    iat = NOW - 10,
    exp = NOW + 600,
    privateKey = PRIVATE_KEY,
    publicKey = PUBLIC_KEY,
  }: {
    sent?: Record<string, string>
    iat?: number
    exp?: number
    privateKey?: string
    publicKey?: string
  } = {},
): Promise<Record<string, string | undefined>> {
  const token = await signUploadJwt({ publicKey, privateKey, fields, iat, exp })
  return { ...sent, token }
}

/** A JWT with any header and payload, signed with the account's private key. */
function signRaw(header: object, payload: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const input = `${encode(header)}.${encode(payload)}`
  return `${input}.${createHmac('sha256', PRIVATE_KEY).update(input).digest('base64url')}`
}

async function answer(fields: Record<string, string | undefined>, ctx = memoryContext()) {
  const judgement = await judgeV2UploadFields(fields, ctx)
  return judgement.ok ? { ok: true as const } : judgement
}

describe('judgeV2UploadFields', () => {
  it('accepts fields that equal the payload of a good token, with kid as the public key', async () => {
    const wire = Object.fromEntries(
      encodeUploadFields({
        fileName: 'a b.jpg',
        useUniqueFileName: false,
        tags: ['x', 'y'],
        folder: '/shop',
      }),
    )
    const request = await v2Request(wire)
    const judgement = await judgeV2UploadFields(request, memoryContext())
    expect(judgement.ok && judgement.upload).toMatchObject({
      publicKey: PUBLIC_KEY,
      token: request.token,
      fileName: 'a_b.jpg',
      useUniqueFileName: false,
      tags: ['x', 'y'],
      folderSegments: ['shop'],
    })
  })

  it('answers a missing token with the exact message', async () => {
    expect(await answer({ fileName: 'a.jpg' })).toEqual({
      ok: false,
      status: 400,
      message: 'Your request is missing token parameter.',
    })
  })

  it("refuses a token sent with Basic auth with the spec's v2 message, whatever the token, keeping it unspent", async () => {
    const BOTH =
      'Your request contains both token and basic auth parameter. Use only one method, you might be exposing your private API key.'
    const ctx = { ...memoryContext(), hasBasicAuth: true }
    const request = await v2Request({ fileName: 'a.jpg' })
    expect(await judgeV2UploadFields(request, ctx)).toEqual({ ok: false, status: 400, message: BOTH })
    expect(await judgeV2UploadFields({ fileName: 'a.jpg', token: 'not-a-jwt' }, ctx)).toEqual({
      ok: false,
      status: 400,
      message: BOTH,
    })
    expect(ctx.used.size).toBe(0)
    // Without a token it is the missing token, as without Basic auth.
    expect(await judgeV2UploadFields({ fileName: 'a.jpg' }, ctx)).toMatchObject({
      message: 'Your request is missing token parameter.',
    })
  })

  it.each([
    ['garbage', 'not-a-jwt'],
    ['two parts', 'eyJhbGciOiJIUzI1NiJ9.e30'],
    ['undecodable parts', '%%%.%%%.%%%'],
  ])('refuses a %s token as invalid', async (_, token) => {
    expect(await answer({ fileName: 'a.jpg', token })).toEqual({
      ok: false,
      status: 400,
      message: INVALID_TOKEN,
    })
  })

  it('refuses a token signed with another key as invalid', async () => {
    const request = await v2Request({ fileName: 'a.jpg' }, { privateKey: 'not the key' })
    expect(await answer(request)).toMatchObject({ message: INVALID_TOKEN })
  })

  it('refuses a token whose kid is not a known public key as invalid (not 403)', async () => {
    const request = await v2Request({ fileName: 'a.jpg' }, { publicKey: 'unknown' })
    expect(await answer(request)).toEqual({ ok: false, status: 400, message: INVALID_TOKEN })
  })

  it('refuses a well-signed token without a kid as invalid', async () => {
    const token = signRaw({ alg: 'HS256', typ: 'JWT' }, { fileName: 'a.jpg', iat: NOW, exp: NOW + 60 })
    expect(await answer({ fileName: 'a.jpg', token })).toMatchObject({ message: INVALID_TOKEN })
  })

  it.each([
    ['a fractional exp', { iat: NOW, exp: NOW + 60.5 }],
    ['a string exp', { iat: NOW, exp: String(NOW + 60) }],
    ['no iat', { exp: NOW + 60 }],
    ['no exp', { iat: NOW }],
  ])('refuses a well-signed token with %s as invalid', async (_, claims) => {
    const token = signRaw({ alg: 'HS256', typ: 'JWT', kid: PUBLIC_KEY }, { fileName: 'a.jpg', ...claims })
    expect(await answer({ fileName: 'a.jpg', token })).toMatchObject({ message: INVALID_TOKEN })
  })

  it('refuses an expired token with the exact message', async () => {
    const request = await v2Request({ fileName: 'a.jpg' }, { iat: NOW - 100, exp: NOW })
    expect(await answer(request)).toEqual({ ok: false, status: 400, message: EXPIRED_TOKEN })
  })

  it('refuses a token that lives longer than 1 hour as invalid, and takes exactly 1 hour', async () => {
    const tooLong = await v2Request({ fileName: 'a.jpg' }, { iat: NOW - 1, exp: NOW + 3600 })
    expect(await answer(tooLong)).toMatchObject({ message: INVALID_TOKEN })
    const oneHour = await v2Request({ fileName: 'a.jpg' }, { iat: NOW - 1, exp: NOW + 3599 })
    expect((await answer(oneHour)).ok).toBe(true)
  })

  it('refuses a token issued in the future, which would otherwise live as long as its iat is ahead (review bug)', async () => {
    const tenYears = 10 * 365 * 24 * 3600
    const future = await v2Request({ fileName: 'a.jpg' }, { iat: NOW + tenYears, exp: NOW + tenYears + 3600 })
    expect(await answer(future)).toMatchObject({ message: INVALID_TOKEN })
    const skewed = await v2Request({ fileName: 'a.jpg' }, { iat: NOW + 30, exp: NOW + 600 })
    expect((await answer(skewed)).ok).toBe(true)
  })

  it('refuses a field changed after signing, such as useUniqueFileName switched off', async () => {
    const request = await v2Request(
      { fileName: 'a.jpg', useUniqueFileName: 'true' },
      { sent: { fileName: 'a.jpg', useUniqueFileName: 'false' } },
    )
    expect(await answer(request)).toEqual({ ok: false, status: 400, message: MISMATCH })
  })

  it('refuses a field added after signing', async () => {
    const request = await v2Request(
      { fileName: 'a.jpg' },
      { sent: { fileName: 'a.jpg', overwriteFile: 'true' } },
    )
    expect(await answer(request)).toMatchObject({ message: MISMATCH })
  })

  it('refuses a signed field left out of the request', async () => {
    const request = await v2Request(
      { fileName: 'a.jpg', folder: '/private' },
      { sent: { fileName: 'a.jpg' } },
    )
    expect(await answer(request)).toMatchObject({ message: MISMATCH })
  })

  it('compares wire strings exactly: "tags, x" is not "tags,x"', async () => {
    const request = await v2Request(
      { fileName: 'a.jpg', tags: 'a,b' },
      { sent: { fileName: 'a.jpg', tags: 'a, b' } },
    )
    expect(await answer(request)).toMatchObject({ message: MISMATCH })
  })

  it('leaves file out of the comparison, and iat/exp out of the fields', async () => {
    const request = await v2Request({ fileName: 'a.jpg' })
    expect((await answer({ ...request, file: 'aGVsbG8=' })).ok).toBe(true)
  })

  it('refuses a token used before with the exact message, quoting the JWT', async () => {
    const ctx = memoryContext()
    const request = await v2Request({ fileName: 'a.jpg' })
    expect((await answer(request, ctx)).ok).toBe(true)
    expect(await answer(request, ctx)).toEqual({
      ok: false,
      status: 400,
      message: `The token with value '${request.token}' has been used before. We suggest using V4 UUIDs, or another random string with enough entropy to avoid collisions.`,
    })
  })

  it('checks the payload before burning the token, then burns it even when a field is bad', async () => {
    const ctx = memoryContext()
    const mismatched = await v2Request({ fileName: 'a.jpg' }, { sent: { fileName: 'b.jpg' } })
    expect(await answer(mismatched, ctx)).toMatchObject({ message: MISMATCH })
    expect(ctx.used.size).toBe(0)
    const badFolder = await v2Request({ fileName: 'a.jpg', folder: 'a..b' })
    expect(await answer(badFolder, ctx)).toMatchObject({
      message: 'Your request contains invalid value for folder parameter.',
    })
    expect(ctx.used.has(badFolder.token ?? '')).toBe(true)
  })

  it('runs the same fileName and field checks as v1', async () => {
    expect(await answer(await v2Request({}))).toMatchObject({
      message: 'Your request is missing fileName parameter.',
    })
    expect(await answer(await v2Request({ fileName: 'a.jpg', isPrivateFile: 'yes' }))).toMatchObject({
      message: 'Your request contains invalid value for isPrivateFile parameter.',
    })
    expect(
      await answer(await v2Request({ fileName: 'a.jpg', transformation: '{"post":[{"type":"resize"}]}' })),
    ).toMatchObject({
      message: 'The file could not be uploaded because the transformation field is invalid.',
    })
  })
})
