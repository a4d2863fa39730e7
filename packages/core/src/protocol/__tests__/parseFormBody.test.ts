import { describe, expect, it } from 'vitest'
import { type FormEntry, headerParams, MAX_PARTS, parseFormBody } from '../parseFormBody'

const B = 'b0undary'
const TYPE = `multipart/form-data; boundary=${B}`
const bytes = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0))
const body = (parts: string[], close = `--${B}--\r\n`) =>
  bytes(parts.map((part) => `--${B}\r\n${part}\r\n`).join('') + close)
const field = (name: string, value: string) =>
  `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`
/** Entries with file bytes as text, for readable expectations. */
const readable = (entries: FormEntry[] | 'malformed') =>
  entries === 'malformed'
    ? entries
    : entries.map((entry) =>
        'value' in entry
          ? entry
          : { ...entry, file: { ...entry.file, bytes: String.fromCharCode(...entry.file.bytes) } },
      )

describe('parseFormBody: multipart by the protocol (busboy) rules', () => {
  it('reads text fields and file parts in wire order', () => {
    const parsed = parseFormBody(
      body([
        field('a', '1'),
        'Content-Disposition: form-data; name="file"; filename="x.txt"\r\nContent-Type: text/plain\r\n\r\nbytes',
      ]),
      TYPE,
    )
    expect(readable(parsed)).toEqual([
      { name: 'a', value: '1' },
      { name: 'file', file: { bytes: 'bytes', filename: 'x.txt', type: 'text/plain' } },
    ])
  })

  it.each([
    ['no Content-Disposition', 'Content-Type: text/plain\r\n\r\nzz'],
    ['a disposition other than form-data', 'Content-Disposition: attachment; name="x"\r\n\r\nzz'],
    ['a disposition without a name', 'Content-Disposition: form-data; filename="x.txt"\r\n\r\nzz'],
    ['a padded delimiter line (no headers then)', `Content-Disposition: form-data; name="x"\r\n\r\nzz`],
    ['headers that never end before the next part', 'Content-Disposition: form-data; name="x"'],
  ])('skips a part with %s, keeping the others', (name, part) => {
    const raw =
      name === 'a padded delimiter line (no headers then)'
        ? bytes(`--${B}  \r\n${part}\r\n--${B}\r\n${field('a', '1')}\r\n--${B}--`)
        : body([part, field('a', '1')])
    expect(parseFormBody(raw, TYPE)).toEqual([{ name: 'a', value: '1' }])
  })

  it('ignores a preamble, an epilogue and Content-Transfer-Encoding', () => {
    const raw = bytes(
      `preamble\r\n--${B}\r\nContent-Disposition: form-data; name="a"\r\nContent-Transfer-Encoding: base64\r\n\r\nYQ==\r\n--${B}--\r\nepilogue`,
    )
    expect(parseFormBody(raw, TYPE)).toEqual([{ name: 'a', value: 'YQ==' }])
  })

  it('reads filename*, escaped quotes, folded headers, upper-case names and UTF-8 names', () => {
    const parsed = parseFormBody(
      body([
        'Content-Disposition: form-data; name="f"; filename*=UTF-8\'\'%C3%A9.txt\r\n\r\n1',
        'Content-Disposition: form-data; name="a\\"b"\r\n\r\n2',
        'Content-Disposition: form-data;\r\n name="folded"\r\n\r\n3',
        'CONTENT-DISPOSITION: FORM-DATA; NAME="upper"\r\n\r\n4',
        `Content-Disposition: form-data; name="${String.fromCharCode(0xc3, 0xa9)}"\r\n\r\n5`,
        // '€' is E2 82 AC: a byte in 0x80-0x9F, which a browser's TextDecoder('latin1') (windows-1252)
        // would turn into another character (Node's does not, so this only fails in a browser).
        `Content-Disposition: form-data; name="${String.fromCharCode(0xe2, 0x82, 0xac)}"\r\n\r\n6`,
      ]),
      TYPE,
    )
    expect(readable(parsed)).toEqual([
      { name: 'f', file: { bytes: '1', filename: 'é.txt', type: '' } },
      { name: 'a"b', value: '2' },
      { name: 'folded', value: '3' },
      { name: 'upper', value: '4' },
      { name: 'é', value: '5' },
      { name: '€', value: '6' },
    ])
  })

  it('makes a part with an empty filename a file', () => {
    const parsed = parseFormBody(
      body(['Content-Disposition: form-data; name="file"; filename=""\r\n\r\nx']),
      TYPE,
    )
    expect(readable(parsed)).toEqual([{ name: 'file', file: { bytes: 'x', filename: '', type: '' } }])
  })

  it(`reads at most ${MAX_PARTS} parts`, () => {
    const parts = Array.from({ length: MAX_PARTS + 1 }, (_, index) => field(`f${index}`, 'x'))
    const parsed = parseFormBody(body(parts), TYPE)
    expect(parsed).toHaveLength(MAX_PARTS)
  })

  it.each([
    ['no boundary', bytes(''), 'multipart/form-data'],
    ['an empty body', bytes(''), TYPE],
    ['another boundary', body([field('a', '1')]), 'multipart/form-data; boundary=other'],
    ['a cut body', bytes(`--${B}\r\n${field('a', '1')}`), TYPE],
    [
      'part headers without their blank line at the end',
      bytes(`--${B}\r\nContent-Disposition: form-data`),
      TYPE,
    ],
    ['LF line ends', bytes(`--${B}\n${field('a', '1').replace(/\r\n/g, '\n')}\n--${B}--\n`), TYPE],
  ])('is malformed with %s', (_, raw, type) => {
    expect(parseFormBody(raw, type)).toBe('malformed')
  })

  it('takes a quoted boundary and a type in any case', () => {
    expect(parseFormBody(body([field('a', '1')]), `MULTIPART/Form-Data; BOUNDARY="${B}"`)).toEqual([
      { name: 'a', value: '1' },
    ])
  })
})

describe('parseFormBody: other bodies', () => {
  it('reads urlencoded pairs: + as space, a bad % kept, no = an empty value, a leading ? kept', () => {
    expect(parseFormBody(bytes('?a=1&b=x+y&c=%zz%41&d&&=e'), 'application/x-www-form-urlencoded')).toEqual([
      { name: '?a', value: '1' },
      { name: 'b', value: 'x y' },
      { name: 'c', value: '%zzA' },
      { name: 'd', value: '' },
      { name: '', value: 'e' },
    ])
  })

  it.each([['application/json'], [null], ['multipart/form-datax; boundary=b']])(
    'is a form without fields for the type %s',
    (type) => {
      expect(parseFormBody(bytes('{"a":1}'), type)).toEqual([])
    },
  )
})

describe('headerParams', () => {
  it('reads the first token and the parameters, names in lower case, the last of each kept', () => {
    const params = headerParams('form-data; Name="a"; name="b"; filename = c.txt ')
    expect([...params]).toEqual([
      ['', 'form-data'],
      ['name', 'b'],
      ['filename', 'c.txt'],
    ])
  })
})
