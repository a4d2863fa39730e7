import type { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { UrlEncodedParser } from '../src/UrlEncodedParser'

/** Feeds `body` to a parser in chunks of `size` bytes; resolves with what it emitted. */
async function parse(body: string, size: number, maxFieldsSize = 1 << 20) {
  const parser = new UrlEncodedParser({ streams: (name) => name === 'file', maxFieldsSize })
  const fields: [string, string][] = []
  const files: Promise<[string, string]>[] = []
  let limited = false
  parser.on('field', (name: string, value: string) => fields.push([name, value]))
  parser.on('limit', () => {
    limited = true
  })
  parser.on('file', (name: string, stream: Readable) => {
    files.push(
      (async () => {
        const chunks: Buffer[] = []
        for await (const chunk of stream) chunks.push(chunk as Buffer)
        return [name, Buffer.concat(chunks).toString('utf8')] as [string, string]
      })(),
    )
  })
  const bytes = Buffer.from(body)
  for (let index = 0; index < bytes.length; index += size)
    await new Promise<void>((resolve) => parser.write(bytes.subarray(index, index + size), () => resolve()))
  await new Promise<void>((resolve) => parser.end(resolve))
  return { fields, files: await Promise.all(files), limited }
}

describe('UrlEncodedParser', () => {
  const body = 'a=1&b=x+y%20z&empty=&flag&%C3%A9t%C3%A9=%E2%82%AC&bad=%zz%4&file=aGk%3D%0A&last=%41'
  const expected = {
    fields: [
      ['a', '1'],
      ['b', 'x y z'],
      ['empty', ''],
      ['flag', ''],
      ['été', '€'],
      ['bad', '%zz%4'],
      ['last', 'A'],
    ],
    files: [['file', 'aGk=\n']],
    limited: false,
  }

  it.each([1, 2, 3, 7, 1000])(
    'decodes like URLSearchParams whatever the chunking (%i-byte chunks)',
    async (size) => {
      expect(await parse(body, size)).toEqual(expected)
      expect([...new URLSearchParams(body)].filter(([name]) => name !== 'file')).toEqual(expected.fields)
    },
  )

  it('fires limit once the collected fields pass the cap, and drops the rest', async () => {
    const result = await parse(`a=${'x'.repeat(50)}&b=${'y'.repeat(50)}&c=1`, 16, 60)
    expect(result.limited).toBe(true)
    expect(result.fields).toEqual([['a', 'x'.repeat(50)]])
  })

  it('does not count a streamed value against the cap', async () => {
    const result = await parse(`file=${'Q'.repeat(500)}&a=1`, 64, 20)
    expect(result).toEqual({ fields: [['a', '1']], files: [['file', 'Q'.repeat(500)]], limited: false })
  })

  it('ends a stream at the end of the body', async () => {
    expect((await parse('a=1&file=abc', 4)).files).toEqual([['file', 'abc']])
  })
})
