import { describe, expect, it } from 'vitest'
import { decodeFileField } from '../judgeUploadRequest'

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

describe('decodeFileField', () => {
  it('reads an http(s) URL as a URL to download', () => {
    expect(decodeFileField('https://example.com/a b.jpg')).toEqual({
      kind: 'url',
      url: 'https://example.com/a%20b.jpg',
    })
    expect(decodeFileField('HTTP://example.com/x.png')).toEqual({
      kind: 'url',
      url: 'http://example.com/x.png',
    })
  })

  it('refuses a URL that does not parse', () => {
    expect(decodeFileField('http://')).toBeNull()
    expect(decodeFileField('https://exa mple.com/')).toBeNull()
  })

  it('reads a base64 data URI with its MIME type', () => {
    const decoded = decodeFileField('data:image/png;base64,aGVsbG8=')
    expect(decoded).toMatchObject({ kind: 'bytes', mime: 'image/png' })
    expect(decoded?.kind === 'bytes' && text(decoded.bytes)).toBe('hello')
  })

  it('reads a percent-encoded data URI, with or without a MIME type', () => {
    const decoded = decodeFileField('data:text/plain;charset=utf-8,h%C3%A9llo%20w')
    expect(decoded).toMatchObject({ kind: 'bytes', mime: 'text/plain' })
    expect(decoded?.kind === 'bytes' && text(decoded.bytes)).toBe('héllo w')
    expect(decodeFileField('data:,abc')).toEqual({ kind: 'bytes', bytes: new TextEncoder().encode('abc') })
  })

  it('reads plain base64, also line-wrapped or base64url', () => {
    const plain = decodeFileField('aGVsbG8gd29ybGQ=')
    expect(plain?.kind === 'bytes' && text(plain.bytes)).toBe('hello world')
    const wrapped = decodeFileField('aGVsbG8g\r\nd29ybGQ=')
    expect(wrapped?.kind === 'bytes' && text(wrapped.bytes)).toBe('hello world')
    expect(decodeFileField('-_-_')).toEqual({ kind: 'bytes', bytes: new Uint8Array([0xfb, 0xff, 0xbf]) })
  })

  it.each([
    ['text that is not base64', 'not base64!'],
    ['base64 of an impossible length', 'aGVsb'],
    ['an ftp URL', 'ftp://example.com/a.jpg'],
    ['a data URI with bad base64', 'data:image/png;base64,@@@'],
    ['a data URI with a broken escape', 'data:text/plain,%E0%A4%A'],
    ['an empty value', ''],
    ['blanks', '   '],
  ])('answers null for %s', (_, value) => {
    expect(decodeFileField(value)).toBeNull()
  })
})
