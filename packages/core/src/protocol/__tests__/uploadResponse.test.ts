import { describe, expect, it } from 'vitest'
import { RESPONSE_FIELDS } from '../fields'
import { uploadResponseSchema } from '../schemas'
import { buildUploadResponse, newFileId, type StoredFileRecord } from '../uploadResponse'

const URL_ENDPOINT = 'https://ik.example/demo'

/** The file of the spec's section 4 example. */
const record = (overrides: Partial<StoredFileRecord> = {}): StoredFileRecord => ({
  fileId: '598821f949c0a938d57563bd',
  versionId: '598821f949c0a938d57563bd',
  versionNumber: 1,
  name: 'file1_Ab3x-Y9_k.jpg',
  filePath: '/images/products/file1_Ab3x-Y9_k.jpg',
  size: 83622,
  mime: 'image/jpeg',
  fileType: 'image',
  width: 200,
  height: 300,
  tags: ['t-shirt', 'round-neck', 'sale2019'],
  customCoordinates: null,
  isPrivateFile: false,
  isPublished: true,
  customMetadata: null,
  description: null,
  extensions: null,
  ...overrides,
})

describe('buildUploadResponse', () => {
  it('reproduces the spec example byte for byte, key order included', () => {
    const response = buildUploadResponse(record(), ['tags'], URL_ENDPOINT)
    expect(JSON.stringify(response)).toBe(
      '{"fileId":"598821f949c0a938d57563bd","name":"file1_Ab3x-Y9_k.jpg","size":83622,' +
        '"versionInfo":{"id":"598821f949c0a938d57563bd","name":"Version 1"},' +
        '"filePath":"/images/products/file1_Ab3x-Y9_k.jpg",' +
        '"url":"https://ik.example/demo/images/products/file1_Ab3x-Y9_k.jpg",' +
        '"thumbnailUrl":"https://ik.example/demo/tr:n-ik_ml_thumbnail/images/products/file1_Ab3x-Y9_k.jpg",' +
        '"fileType":"image","height":300,"width":200,"AITags":null,' +
        '"tags":["t-shirt","round-neck","sale2019"]}',
    )
  })

  it('returns only the default fields of an image when no responseFields are asked for', () => {
    const response = buildUploadResponse(record(), [], URL_ENDPOINT)
    expect(Object.keys(response)).toEqual([
      'fileId',
      'name',
      'size',
      'versionInfo',
      'filePath',
      'url',
      'thumbnailUrl',
      'fileType',
      'height',
      'width',
      'AITags',
    ])
    expect(uploadResponseSchema.parse(response)).toEqual(response)
  })

  it('leaves thumbnailUrl, height and width out for a non-image', () => {
    const pdf = record({ name: 'a.pdf', filePath: '/a.pdf', mime: 'application/pdf', fileType: 'non-image' })
    delete pdf.width
    delete pdf.height
    const response = buildUploadResponse(pdf, [], URL_ENDPOINT)
    expect(response).toEqual({
      fileId: '598821f949c0a938d57563bd',
      name: 'a.pdf',
      size: 83622,
      versionInfo: { id: '598821f949c0a938d57563bd', name: 'Version 1' },
      filePath: '/a.pdf',
      url: 'https://ik.example/demo/a.pdf',
      fileType: 'non-image',
      AITags: null,
    })
    expect(uploadResponseSchema.safeParse(response).success).toBe(true)
  })

  it('adds every field named in responseFields, with tags and customCoordinates null when unset', () => {
    const response = buildUploadResponse(record({ tags: null }), RESPONSE_FIELDS, URL_ENDPOINT)
    expect(response).toMatchObject({
      tags: null,
      customCoordinates: null,
      isPrivateFile: false,
      isPublished: true,
      customMetadata: {},
      embeddedMetadata: {},
      metadata: { height: 300, width: 200, size: 83622, format: 'jpg' },
      selectedFieldsSchema: {},
    })
    expect(response).not.toHaveProperty('extensionStatus')
    expect(uploadResponseSchema.parse(response)).toEqual(response)
  })

  it('returns the stored values of selected fields', () => {
    const response = buildUploadResponse(
      record({ customCoordinates: '10,10,100,100', isPrivateFile: true, customMetadata: { brand: 'ik' } }),
      ['customCoordinates', 'isPrivateFile', 'customMetadata'],
      URL_ENDPOINT,
    )
    expect(response).toMatchObject({
      customCoordinates: '10,10,100,100',
      isPrivateFile: true,
      customMetadata: { brand: 'ik' },
    })
    expect(response).not.toHaveProperty('tags')
    expect(uploadResponseSchema.parse(response)).toEqual(response)
  })

  it('adds extensionStatus only when extensions were requested, each skipped unless the record says otherwise', () => {
    const requested = record({
      extensions: [{ name: 'google-auto-tagging', maxTags: 5 }, { name: 'remove-bg' }],
    })
    expect(buildUploadResponse(requested, [], URL_ENDPOINT).extensionStatus).toEqual({
      'google-auto-tagging': 'skipped',
      'remove-bg': 'skipped',
    })
    const done = record({ extensions: [{ name: 'remove-bg' }], extensionStatus: { 'remove-bg': 'success' } })
    const response = buildUploadResponse(done, [], URL_ENDPOINT)
    expect(response.extensionStatus).toEqual({ 'remove-bg': 'success' })
    expect(uploadResponseSchema.parse(response)).toEqual(response)
    expect(buildUploadResponse(record(), [], URL_ENDPOINT)).not.toHaveProperty('extensionStatus')
  })

  it('names later versions "Version N" with their own id', () => {
    const response = buildUploadResponse(
      record({ versionId: 'aaaaaaaaaaaaaaaaaaaaaaaa', versionNumber: 3 }),
      [],
      URL_ENDPOINT,
    )
    expect(response.versionInfo).toEqual({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'Version 3' })
  })

  it('does not double the slash after a urlEndpoint that ends with one', () => {
    const response = buildUploadResponse(record(), [], `${URL_ENDPOINT}/`)
    expect(response.url).toBe('https://ik.example/demo/images/products/file1_Ab3x-Y9_k.jpg')
    expect(response.thumbnailUrl).toBe(
      'https://ik.example/demo/tr:n-ik_ml_thumbnail/images/products/file1_Ab3x-Y9_k.jpg',
    )
  })

  it('reports AI tags when there are some', () => {
    const AITags = [{ name: 'Shirt', confidence: 94.5, source: 'google-auto-tagging' }]
    const response = buildUploadResponse(record({ AITags }), [], URL_ENDPOINT)
    expect(response.AITags).toEqual(AITags)
    expect(uploadResponseSchema.parse(response)).toEqual(response)
  })
})

describe('uploadResponseSchema', () => {
  it('refuses a response without the default fields or with a malformed fileId', () => {
    const response = buildUploadResponse(record(), [], URL_ENDPOINT)
    expect(uploadResponseSchema.safeParse({ ...response, fileId: 'not-hex' }).success).toBe(false)
    expect(uploadResponseSchema.safeParse({ ...response, fileType: 'video' }).success).toBe(false)
    const { url: _url, ...withoutUrl } = response
    expect(uploadResponseSchema.safeParse(withoutUrl).success).toBe(false)
  })

  it('passes through fields ImageKit may add', () => {
    const response = { ...buildUploadResponse(record(), [], URL_ENDPOINT), description: 'new field' }
    expect(uploadResponseSchema.parse(response)).toHaveProperty('description', 'new field')
  })
})

describe('newFileId', () => {
  it('makes 24 lowercase hex chars, different each time', () => {
    const ids = Array.from({ length: 50 }, newFileId)
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/)
    expect(new Set(ids).size).toBe(50)
  })
})
