import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hmacSha1Hex, safeEqual, signDeliveryPath, signUploadToken } from '../signature'

describe('signUploadToken', () => {
  it('matches the spec test vector for the auth endpoint (section 6)', async () => {
    expect(await signUploadToken('private_key_test', 'your_token', 1582269249)).toBe(
      'e71bcd6031016b060d349d212e23e85c791decdd',
    )
  })

  it('signs expire given as a wire string the same as the number', async () => {
    expect(await signUploadToken('private_key_test', 'your_token', '1582269249')).toBe(
      'e71bcd6031016b060d349d212e23e85c791decdd',
    )
  })
})

describe('signDeliveryPath', () => {
  it('matches the spec test vector for signed delivery URLs (section 5)', async () => {
    expect(await signDeliveryPath('dummy-key', 'sdk-testing-files/future-search.png')).toBe(
      '32dbbbfc5f945c0403c71b54c38e76896ef2d6b0',
    )
  })

  it('uses 9999999999 when there is no ik-t, and ik-t when there is one', async () => {
    const path = 'sdk-testing-files/future-search.png'
    expect(await signDeliveryPath('dummy-key', path, 9999999999)).toBe(
      '32dbbbfc5f945c0403c71b54c38e76896ef2d6b0',
    )
    expect(await signDeliveryPath('dummy-key', path, 1700000000)).toBe(
      createHmac('sha1', 'dummy-key').update(`${path}1700000000`).digest('hex'),
    )
  })

  it('takes a filePath with its leading slash as the path after urlEndpoint + "/"', async () => {
    expect(await signDeliveryPath('dummy-key', '/sdk-testing-files/future-search.png')).toBe(
      '32dbbbfc5f945c0403c71b54c38e76896ef2d6b0',
    )
  })
})

describe('hmacSha1Hex', () => {
  it.each([
    ['a key', 'a message'],
    ['ключ 東京', 'сообщение 🙂 naïve'],
    ['k'.repeat(200), 'longer than one SHA-1 block'.repeat(10)],
    ['', 'an empty key, which WebCrypto refuses to import as is'],
    ['key', ''],
  ])('agrees with Node crypto as lowercase hex for key %j', async (key, message) => {
    const hex = await hmacSha1Hex(key, message)
    expect(hex).toBe(createHmac('sha1', key).update(message).digest('hex'))
    expect(hex).toMatch(/^[0-9a-f]{40}$/)
  })
})

describe('safeEqual', () => {
  it('is true only for equal strings', () => {
    expect(safeEqual('abc', 'abc')).toBe(true)
    expect(safeEqual('', '')).toBe(true)
    expect(safeEqual('abc', 'abd')).toBe(false)
    expect(safeEqual('abc', 'xbc')).toBe(false)
    expect(safeEqual('abc', 'ABC')).toBe(false)
  })

  it('is false for a prefix or an extension, whichever side is longer', () => {
    expect(safeEqual('abc', 'abcd')).toBe(false)
    expect(safeEqual('abcd', 'abc')).toBe(false)
    expect(safeEqual('', 'a')).toBe(false)
  })

  it('does not mistake a NUL character for the end of the shorter string', () => {
    expect(safeEqual('ab\u0000', 'ab')).toBe(false)
    expect(safeEqual('ab', 'ab\u0000')).toBe(false)
  })

  it('reads every character instead of stopping at the first mismatch', () => {
    const reads: number[] = []
    const spy = (text: string): string =>
      new Proxy(new String(text), {
        get(target, property) {
          if (property === 'charCodeAt')
            return (index: number) => {
              reads.push(index)
              return target.charCodeAt(index)
            }
          const value = Reflect.get(target, property)
          return typeof value === 'function' ? value.bind(target) : value
        },
      }) as unknown as string
    expect(safeEqual(spy('Xbcdef'), 'abcdef')).toBe(false)
    expect(reads).toEqual([0, 1, 2, 3, 4, 5])
  })
})
