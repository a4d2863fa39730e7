import { describe, expect, it } from 'vitest'
import { isBasicAuth } from '../isBasicAuth'
import { mimeTypeOf } from '../mimeTypeOf'

describe('mimeTypeOf', () => {
  it.each([
    ['text/plain; charset=utf-8', 'text/plain'],
    ['Text/Plain ; Charset=UTF-8', 'text/plain'],
    ['  IMAGE/PNG  ', 'image/png'],
    ['image/svg+xml', 'image/svg+xml'],
  ])('reads %j as %j', (header, mime) => {
    expect(mimeTypeOf(header)).toBe(mime)
  })

  it.each([[''], ['  '], ['; charset=utf-8'], [null], [undefined]])('reads %j as no type', (header) => {
    expect(mimeTypeOf(header)).toBeUndefined()
  })
})

describe('isBasicAuth', () => {
  it.each([['Basic dXNlcjo='], ['basic dXNlcjo='], ['BASIC\tdXNlcjo='], ['  Basic   dXNlcjo=']])(
    'recognises %j',
    (header) => {
      expect(isBasicAuth(header)).toBe(true)
    },
  )

  it.each([['Bearer abc'], ['Basic'], ['Basic '], ['Basicabc'], [''], [null], [undefined]])(
    'does not take %j for Basic auth',
    (header) => {
      expect(isBasicAuth(header)).toBe(false)
    },
  )
})
