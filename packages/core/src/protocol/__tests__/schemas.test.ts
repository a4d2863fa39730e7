import { describe, expect, it } from 'vitest'
import { encodeUploadFields } from '../fields'
import {
  authParamsSchema,
  errorBodySchema,
  uploadOptionFieldSchemas,
  uploadRequestFieldsSchema,
} from '../schemas'

const valid = {
  file: 'https://example.com/a.jpg',
  publicKey: 'public_test',
  signature: 'e71bcd6031016b060d349d212e23e85c791decdd',
  expire: '1582269249',
  token: 'your_token',
  fileName: 'a.jpg',
}

/** The message of the first issue, or 'valid'. */
function firstMessage(fields: Record<string, unknown>): string {
  const result = uploadRequestFieldsSchema.safeParse(fields)
  return result.success ? 'valid' : (result.error.issues[0]?.message ?? 'no message')
}

describe('uploadRequestFieldsSchema', () => {
  it('accepts a minimal request and every option as encodeUploadFields writes it', () => {
    expect(firstMessage(valid)).toBe('valid')
    const options = Object.fromEntries(
      encodeUploadFields({
        useUniqueFileName: false,
        tags: ['a', 'b'],
        folder: '/x/y',
        isPrivateFile: true,
        customCoordinates: '1,2,3,4',
        responseFields: ['tags', 'metadata'],
        isPublished: false,
        description: 'd',
        overwriteFile: true,
        overwriteTags: true,
        overwriteAITags: false,
        overwriteCustomMetadata: false,
        customMetadata: { a: 1 },
        extensions: [{ name: 'remove-bg' }],
        webhookUrl: 'https://example.com/hook',
        transformation: { post: [{ type: 'thumbnail', value: 'w-10' }] },
        checks: '"file.size" < "1mb"',
      }),
    )
    expect(Object.keys(options)).toHaveLength(17)
    expect(firstMessage({ ...valid, ...options })).toBe('valid')
  })

  it('accepts a binary file part', () => {
    expect(firstMessage({ ...valid, file: new Blob(['hello']) })).toBe('valid')
  })

  it.each([
    ['file', 'Your request is missing file parameter.'],
    ['publicKey', 'Your request is missing publicKey parameter.'],
    ['signature', 'Your request is missing signature parameter.'],
    ['expire', 'Your request is missing expire parameter.'],
    ['token', 'Your request is missing token parameter.'],
    ['fileName', 'Your request is missing fileName parameter.'],
  ])('answers a missing %s with the missing-parameter message', (name, message) => {
    expect(firstMessage({ ...valid, [name]: undefined })).toBe(message)
  })

  it('answers a malformed signature or expire with their messages', () => {
    expect(firstMessage({ ...valid, signature: 'E71BCD' })).toBe(
      'Your request contains invalid signature parameter.',
    )
    expect(firstMessage({ ...valid, expire: 'soon' })).toBe(
      'Your request contains invalid expire parameter. Expire parameter should be a Unix time in less than 1 hour into the future.',
    )
    expect(firstMessage({ ...valid, expire: '01582269249' })).toBe(
      'Your request contains invalid expire parameter. Expire parameter should be a Unix time in less than 1 hour into the future.',
    )
  })

  it('answers a fileName over 1024 characters with our message', () => {
    expect(firstMessage({ ...valid, fileName: 'a'.repeat(1025) })).toBe(
      'Your request contains invalid fileName parameter. The file name is longer than 1024 characters.',
    )
  })

  it.each([
    ['useUniqueFileName', 'yes', 'Your request contains invalid value for useUniqueFileName parameter.'],
    ['tags', `${'a'.repeat(501)}`, 'Your request contains invalid value for tags parameter.'],
    ['tags', '10%', 'Your request contains invalid value for tags parameter.'],
    ['folder', '../up', 'Your request contains invalid value for folder parameter.'],
    ['isPrivateFile', 'TRUE', 'Your request contains invalid value for isPrivateFile parameter.'],
    ['customCoordinates', '1,2', 'Your request contains invalid value for customCoordinates parameter.'],
    ['responseFields', 'tags,size', 'Your request contains invalid value for responseFields parameter.'],
    ['isPublished', '', 'Your request contains invalid value for isPublished parameter.'],
    ['overwriteFile', '0', 'Your request contains invalid value for overwriteFile parameter.'],
    ['overwriteTags', '1', 'Your request contains invalid value for overwriteTags parameter.'],
    ['overwriteAITags', 'no', 'Your request contains invalid value for overwriteAITags parameter.'],
    [
      'overwriteCustomMetadata',
      'x',
      'Your request contains invalid value for overwriteCustomMetadata parameter.',
    ],
    ['customMetadata', '"text"', 'Your request contains invalid value for customMetadata parameter.'],
    ['extensions', '{}', 'Your request contains invalid value for extensions parameter.'],
    ['webhookUrl', 'example.com', 'Your request contains invalid value for webhookUrl parameter.'],
    [
      'transformation',
      '{"post":[]',
      'The file could not be uploaded because the transformation field is invalid.',
    ],
    ['checks', '"file.size" <', 'Your request contains invalid syntax for the checks parameter.'],
  ])('refuses %s %j with the catalog message', (name, value, message) => {
    expect(firstMessage({ ...valid, [name]: value })).toBe(message)
  })

  it('has a schema for every option field', () => {
    expect(Object.keys(uploadOptionFieldSchemas)).toHaveLength(18)
  })
})

describe('authParamsSchema', () => {
  it('reads {token, expire, signature} with a numeric expire', () => {
    const reply = {
      token: 'your_token',
      expire: 1582269249,
      signature: 'e71bcd6031016b060d349d212e23e85c791decdd',
    }
    expect(authParamsSchema.parse(reply)).toEqual(reply)
  })

  it.each([
    ['a string expire', { token: 't', expire: '1582269249', signature: 's' }],
    ['a fractional expire', { token: 't', expire: 1.5, signature: 's' }],
    ['no signature', { token: 't', expire: 1 }],
    ['an empty token', { token: '', expire: 1, signature: 's' }],
    ['not an object', 'token'],
  ])('refuses %s', (_, reply) => {
    expect(authParamsSchema.safeParse(reply).success).toBe(false)
  })
})

describe('errorBodySchema', () => {
  it('reads {message, help}', () => {
    const body = {
      message: 'Your request is missing file parameter.',
      help: 'For support kindly contact us at support@imagekit.io .',
    }
    expect(errorBodySchema.parse(body)).toEqual(body)
    expect(errorBodySchema.safeParse({ message: 'x' }).success).toBe(false)
  })
})
