import { describe, expect, it } from 'vitest'
import { type JudgedUpload, newJudgedUpload } from '../judgeUploadRequest'
import { recordFields } from '../recordFields'

const upload = (overrides: Partial<JudgedUpload> = {}): JudgedUpload => ({
  ...newJudgedUpload('k', 't', 'a.jpg'),
  useUniqueFileName: false,
  ...overrides,
})

const previous = {
  versionNumber: 2,
  tags: ['old'],
  customMetadata: { old: true },
  AITags: [{ name: 'cat', confidence: 90, source: 'google-auto-tagging' }],
}

describe('recordFields', () => {
  it('starts a new file at version 1 with what the request carries', () => {
    expect(recordFields(upload({ tags: ['a'], customCoordinates: '1,2,3,4' }))).toMatchObject({
      versionNumber: 1,
      tags: ['a'],
      customCoordinates: '1,2,3,4',
      AITags: null,
    })
  })

  it('removes old tags, custom metadata and AI tags that an overwrite does not carry', () => {
    expect(recordFields(upload(), previous)).toMatchObject({
      versionNumber: 3,
      tags: null,
      customMetadata: null,
      AITags: null,
      customCoordinates: null,
    })
  })

  it('keeps them when overwriteTags / overwriteCustomMetadata / overwriteAITags are false', () => {
    const kept = recordFields(
      upload({ overwriteTags: false, overwriteCustomMetadata: false, overwriteAITags: false }),
      previous,
    )
    expect(kept).toMatchObject({ tags: ['old'], customMetadata: { old: true }, AITags: previous.AITags })
  })

  it('lets tags and customMetadata sent with the request win over overwrite*=false', () => {
    expect(
      recordFields(upload({ tags: ['new'], customMetadata: { n: 1 }, overwriteTags: false }), previous),
    ).toMatchObject({ tags: ['new'], customMetadata: { n: 1 } })
  })
})
