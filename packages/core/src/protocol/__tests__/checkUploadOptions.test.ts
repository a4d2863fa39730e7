import { describe, expect, it } from 'vitest'
import { checkUploadOptions } from '../checkUploadOptions'

describe('checkUploadOptions', () => {
  it('passes options the server would take', () => {
    expect(
      checkUploadOptions({
        tags: ['a', 'b'],
        folder: '//a///b/',
        customCoordinates: '10,10,100,100',
        responseFields: 'tags, metadata',
      }),
    ).toBeUndefined()
  })

  it('refuses tags over 500 characters, as an array or a string, with the server message', () => {
    const problem = { field: 'tags', message: 'Your request contains invalid value for tags parameter.' }
    expect(checkUploadOptions({ tags: ['a'.repeat(250), 'b'.repeat(250)] })).toEqual(problem)
    expect(checkUploadOptions({ tags: ['a'.repeat(249), 'b'.repeat(250)] })).toBeUndefined()
    expect(checkUploadOptions({ tags: '50%' })).toEqual(problem)
  })

  it('refuses a folder, customCoordinates and responseFields the server would refuse', () => {
    expect(checkUploadOptions({ folder: 'a/../b' })).toEqual({
      field: 'folder',
      message: 'Your request contains invalid value for folder parameter.',
    })
    expect(checkUploadOptions({ customCoordinates: '1,2,3' })).toEqual({
      field: 'customCoordinates',
      message: 'Your request contains invalid value for customCoordinates parameter.',
    })
    expect(checkUploadOptions({ responseFields: ['tags', 'size' as 'tags'] })).toEqual({
      field: 'responseFields',
      message: 'Your request contains invalid value for responseFields parameter.',
    })
  })

  it('answers the first bad field in wire order', () => {
    expect(checkUploadOptions({ folder: '.', tags: '%' })?.field).toBe('tags')
  })

  it('refuses a file over the limit (25 MB by default) with the exact message', () => {
    const problem = {
      field: 'file',
      message: 'Your request contains invalid file parameter. The file size exceeds limits.',
    }
    expect(checkUploadOptions({}, 26_214_401)).toEqual(problem)
    expect(checkUploadOptions({}, 26_214_400)).toBeUndefined()
    expect(checkUploadOptions({}, 11, 10)).toEqual(problem)
  })
})
