import { UPLOAD_FIELD_NAMES, UPLOADER_OPTION_NAMES } from '@ik-upload/core'
import { describe, expect, it } from 'vitest'
import { domProps, isUploaderOption } from '../splitProps'

describe('splitProps', () => {
  it('recognises every upload field and uploader option but accept, which the input uses too', () => {
    for (const name of [...UPLOAD_FIELD_NAMES, ...UPLOADER_OPTION_NAMES])
      expect(isUploaderOption(name), name).toBe(name !== 'accept')
  })

  it('leaves the attributes of inputs and divs to the DOM, accept included', () => {
    const attributes = [
      'accept',
      'multiple',
      'capture',
      'name',
      'id',
      'className',
      'style',
      'disabled',
      'required',
      'form',
      'tabIndex',
      'title',
      'max',
      'min',
      'maxLength',
      'aria-label',
      'data-testid',
      'onChange',
      'onClick',
      'onFocus',
      'onDrop',
      'onInput',
      'onErrorCapture',
      'autoFocus',
      'role',
    ]
    for (const name of attributes) expect(isUploaderOption(name), name).toBe(false)
    expect(domProps({ folder: '/a', onSuccess: () => {}, id: 'x', accept: '.png' })).toEqual({
      id: 'x',
      accept: '.png',
    })
  })
})
