import { describe, expect, it } from 'vitest'
import { encodeUploadFields } from '../fields'

describe('encodeUploadFields', () => {
  it('joins arrays with commas, writes booleans as strings and objects as JSON, and skips undefined', () => {
    expect(
      encodeUploadFields({
        fileName: 'a.jpg',
        useUniqueFileName: false,
        tags: ['t-shirt', 'sale'],
        folder: undefined,
        responseFields: ['tags', 'metadata'],
        customMetadata: { brand: 'x', n: 1 },
        extensions: [{ name: 'remove-bg' }],
        transformation: { pre: 'w-100' },
        isPublished: true,
      }),
    ).toEqual([
      ['fileName', 'a.jpg'],
      ['useUniqueFileName', 'false'],
      ['tags', 't-shirt,sale'],
      ['responseFields', 'tags,metadata'],
      ['isPublished', 'true'],
      ['customMetadata', '{"brand":"x","n":1}'],
      ['extensions', '[{"name":"remove-bg"}]'],
      ['transformation', '{"pre":"w-100"}'],
    ])
  })
  it('sends an empty extensions array as JSON, not as an empty string', () => {
    expect(encodeUploadFields({ extensions: [] })).toEqual([['extensions', '[]']])
  })
})
