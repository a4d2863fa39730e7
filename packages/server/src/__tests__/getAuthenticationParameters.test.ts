import { signUploadToken } from '@ik-upload/core/protocol'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { getAuthenticationParameters } from '../getAuthenticationParameters'

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('getAuthenticationParameters', () => {
  afterEach(() => vi.useRealTimers())

  it("passes the spec's test vector with the token and expire given", async () => {
    await expect(
      getAuthenticationParameters({
        privateKey: 'private_key_test',
        token: 'your_token',
        expire: 1582269249,
      }),
    ).resolves.toEqual({
      token: 'your_token',
      expire: 1582269249,
      signature: 'e71bcd6031016b060d349d212e23e85c791decdd',
    })
  })

  it('defaults to a random v4 UUID and now + 1800 s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'))
    const first = await getAuthenticationParameters({ privateKey: 'k' })
    const second = await getAuthenticationParameters({ privateKey: 'k' })
    expect(first.token).toMatch(UUID_V4)
    expect(second.token).not.toBe(first.token)
    expect(first.expire).toBe(Date.parse('2026-01-01T00:00:00Z') / 1000 + 1800)
    expect(first.signature).toBe(await signUploadToken('k', first.token, first.expire))
  })

  it('takes expire as an absolute Unix time, not a duration', async () => {
    const { expire } = await getAuthenticationParameters({ privateKey: 'k', expire: 2_000_000_000 })
    expect(expire).toBe(2_000_000_000)
  })

  it('throws at once without a private key', () => {
    expect(() => getAuthenticationParameters({ privateKey: '' })).toThrow(/privateKey is required/)
    // @ts-expect-error: a JavaScript caller may pass nothing at all
    expect(() => getAuthenticationParameters()).toThrow(/privateKey is required/)
  })

  it('refuses an expire that is not a Unix time in seconds', () => {
    expect(() => getAuthenticationParameters({ privateKey: 'k', expire: 1.5 })).toThrow(/expire/)
  })
})
