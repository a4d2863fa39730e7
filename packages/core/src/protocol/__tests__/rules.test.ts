import { describe, expect, it } from 'vitest'
import { RESPONSE_FIELDS } from '../fields'
import {
  addUniqueSuffix,
  isCanonicalExpire,
  isValidCustomCoordinates,
  isValidCustomMetadata,
  isValidExpire,
  isValidExtensions,
  isValidFolder,
  isValidResponseFields,
  isValidTags,
  isValidTransformation,
  isValidWebhookUrl,
  makeUniqueSuffix,
  parseBoolean,
  parseCustomCoordinates,
  parseFolder,
  parseJson,
  parseResponseFields,
  parseTags,
  RESPONSE_FIELDS_RULE,
  sanitizeFileName,
  toFilePath,
} from '../rules'

describe('sanitizeFileName', () => {
  it('keeps letters, marks and numbers of any script and turns spaces into _', () => {
    expect(sanitizeFileName('naïve café 東京.jpg')).toBe('naïve_café_東京.jpg')
  })

  it('keeps combining marks (decomposed accents, Devanagari vowel signs)', () => {
    const decomposed = 'cafe\u0301 re\u0301sume\u0301.png'
    expect(sanitizeFileName(decomposed)).toBe('cafe\u0301_re\u0301sume\u0301.png')
    expect(sanitizeFileName('हिन्दी फ़ाइल.txt')).toBe('हिन्दी_फ़ाइल.txt')
  })

  it('keeps numbers of other scripts, ., _ and -', () => {
    expect(sanitizeFileName('٣٤٥_ファイル-v1.2.tar.gz')).toBe('٣٤٥_ファイル-v1.2.tar.gz')
  })

  it('turns every other character into _, one per code point (an emoji is one)', () => {
    expect(sanitizeFileName('a/b\\c:d*e?f"g<h>i|j k#l%m&n+o.jpg')).toBe('a_b_c_d_e_f_g_h_i_j_k_l_m_n_o.jpg')
    expect(sanitizeFileName('😀 smile.png')).toBe('__smile.png')
  })
})

describe('unique suffix', () => {
  it('is _ and 9 chars of [A-Za-z0-9_-]', () => {
    for (let i = 0; i < 200; i++) expect(makeUniqueSuffix()).toMatch(/^_[A-Za-z0-9_-]{9}$/)
  })

  it('differs between draws', () => {
    expect(new Set(Array.from({ length: 100 }, makeUniqueSuffix)).size).toBe(100)
  })

  it.each([
    ['photo.jpg', 'photo_Ab3x-Y9_k.jpg'],
    ['README', 'README_Ab3x-Y9_k'],
    ['archive.tar.gz', 'archive.tar_Ab3x-Y9_k.gz'],
    ['.env', '.env_Ab3x-Y9_k'],
  ])('goes before the last extension of %j', (name, expected) => {
    expect(addUniqueSuffix(name, '_Ab3x-Y9_k')).toBe(expected)
  })
})

describe('folder', () => {
  it('drops empty segments so filePath never holds //', () => {
    expect(parseFolder('//a///b/')).toEqual(['a', 'b'])
    expect(toFilePath(parseFolder('//a///b/') ?? [], 'name.jpg')).toBe('/a/b/name.jpg')
  })

  it('puts a file without folder at the root', () => {
    expect(parseFolder('/')).toEqual([])
    expect(parseFolder('')).toEqual([])
    expect(toFilePath([], 'x.png')).toBe('/x.png')
  })

  it('accepts letters, marks and numbers of any script, _ and -', () => {
    expect(parseFolder('/фото/東京_2024/cafe\u0301-a')).toEqual(['фото', '東京_2024', 'cafe\u0301-a'])
  })

  it.each([['.'], ['..'], ['a/../b'], ['a/./b'], ['a b'], ['a.b'], ['a\\b'], ['a%20b']])(
    'refuses %j',
    (folder) => {
      expect(parseFolder(folder)).toBeNull()
    },
  )

  it('answers a long bad folder without backtracking blow-up', () => {
    expect(isValidFolder(`${'a'.repeat(100_000)}.`)).toBe(false)
    expect(isValidFolder(`${'ab/'.repeat(49)}${'a'.repeat(100_000)}.`)).toBe(false)
  })

  it('allows 50 levels and refuses 51', () => {
    expect(parseFolder(Array(50).fill('d').join('/'))).toHaveLength(50)
    expect(parseFolder(Array(51).fill('d').join('/'))).toBeNull()
    expect(parseFolder(`/${Array(50).fill('d').join('//')}/`)).toHaveLength(50)
  })
})

describe('tags', () => {
  it('splits on commas, trims and drops empty items', () => {
    expect(parseTags('t-shirt, round-neck,,sale2019')).toEqual(['t-shirt', 'round-neck', 'sale2019'])
  })

  it('takes 500 characters and refuses 501, counting the whole field', () => {
    const tags500 = `${'a'.repeat(249)},${'b'.repeat(250)}`
    expect(tags500).toHaveLength(500)
    expect(parseTags(tags500)).toHaveLength(2)
    expect(parseTags(`${tags500}c`)).toBeNull()
  })

  it('refuses %', () => {
    expect(parseTags('50%')).toBeNull()
    expect(parseTags('sale,%25')).toBeNull()
  })
})

describe('customCoordinates', () => {
  it('reads four non-negative integers', () => {
    expect(parseCustomCoordinates('10,10,100,100')).toEqual([10, 10, 100, 100])
    expect(parseCustomCoordinates('0,0,0,0')).toEqual([0, 0, 0, 0])
    expect(parseCustomCoordinates(' 1 , 2 , 3 , 4 ')).toEqual([1, 2, 3, 4])
  })

  it.each([
    ['1,2,3'],
    ['1,2,3,4,5'],
    ['-1,0,10,10'],
    ['1.5,0,10,10'],
    ['a,b,c,d'],
    [''],
    ['1;2;3;4'],
    [`${'9'.repeat(400)},0,1,1`],
    ['1e3,0,1,1'],
  ])('refuses %j', (value) => {
    expect(parseCustomCoordinates(value)).toBeNull()
  })
})

describe('responseFields', () => {
  it('trims items, as one SDK sends "tags, metadata"', () => {
    expect(parseResponseFields('tags, metadata')).toEqual(['tags', 'metadata'])
  })

  it('accepts every allowed name', () => {
    const all =
      'tags,customCoordinates,isPrivateFile,embeddedMetadata,isPublished,customMetadata,metadata,selectedFieldsSchema'
    expect(parseResponseFields(all)).toHaveLength(8)
  })

  it('refuses a name outside the list, in any case but the right one', () => {
    expect(parseResponseFields('tags,size')).toBeNull()
    expect(parseResponseFields('Tags')).toBeNull()
    expect(parseResponseFields('tagsmetadata')).toBeNull()
    expect(parseResponseFields('tags metadata')).toBeNull()
  })

  it('takes empty items and spaces around names, as the server trims them', () => {
    for (const value of ['', ' ', ',', 'tags,', ',tags', ' tags , metadata ', 'tags,,metadata', '\ttags'])
      expect(isValidResponseFields(value), JSON.stringify(value)).toBe(true)
  })

  it('holds RESPONSE_FIELDS_RULE to RESPONSE_FIELDS: every name alone passes, and nothing else', () => {
    for (const name of RESPONSE_FIELDS) expect(RESPONSE_FIELDS_RULE.test(name), name).toBe(true)
    const inRule = RESPONSE_FIELDS_RULE.source.match(/\(([a-zA-Z|]+)\)/)?.[1]?.split('|')
    expect(inRule?.slice().sort()).toEqual([...RESPONSE_FIELDS].sort())
  })

  it('answers a long bad list without backtracking blow-up', () => {
    expect(isValidResponseFields(`${' '.repeat(100_000)}x`)).toBe(false)
    expect(isValidResponseFields(`${'tags,'.repeat(20_000)}x`)).toBe(false)
  })
})

describe('booleans', () => {
  it('reads exactly "true" and "false"', () => {
    expect(parseBoolean('true')).toBe(true)
    expect(parseBoolean('false')).toBe(false)
  })

  it.each([['True'], ['FALSE'], ['1'], ['0'], ['yes'], [''], [' true']])('refuses %j', (value) => {
    expect(parseBoolean(value)).toBeNull()
  })
})

describe('JSON fields', () => {
  it('customMetadata must be a JSON object', () => {
    expect(isValidCustomMetadata(parseJson('{"brand":"x"}'))).toBe(true)
    expect(isValidCustomMetadata(parseJson('[]'))).toBe(false)
    expect(isValidCustomMetadata(parseJson('null'))).toBe(false)
    expect(isValidCustomMetadata(parseJson('{bad json'))).toBe(false)
  })

  it('extensions must be a JSON array of objects with a string name', () => {
    expect(
      isValidExtensions(parseJson('[{"name":"google-auto-tagging","maxTags":5,"minConfidence":95}]')),
    ).toBe(true)
    expect(isValidExtensions(parseJson('[]'))).toBe(true)
    expect(isValidExtensions(parseJson('{"name":"remove-bg"}'))).toBe(false)
    expect(isValidExtensions(parseJson('[{"maxTags":5}]'))).toBe(false)
    expect(isValidExtensions(parseJson('["remove-bg"]'))).toBe(false)
  })
})

describe('transformation', () => {
  const post = (count: number) => Array.from({ length: count }, () => ({ type: 'thumbnail', value: 'w-100' }))

  it('accepts a pre-transformation, and up to 5 post items of the allowed types', () => {
    expect(isValidTransformation({ pre: 'w-300,h-300' })).toBe(true)
    expect(isValidTransformation({ post: post(5) })).toBe(true)
    expect(
      isValidTransformation({
        post: [
          { type: 'transformation', value: 'w-100' },
          { type: 'gif-to-video' },
          { type: 'thumbnail', value: 'h-100' },
          { type: 'abs', value: 'sr-240_360_480', protocol: 'hls' },
        ],
      }),
    ).toBe(true)
  })

  it('refuses 6 post items', () => {
    expect(isValidTransformation({ post: post(6) })).toBe(false)
  })

  it('refuses an unknown post type', () => {
    expect(isValidTransformation({ post: [{ type: 'resize', value: 'w-100' }] })).toBe(false)
  })

  it.each([
    ['a string', 'w-100'],
    ['an array', []],
    ['null', null],
    ['an empty object', {}],
    ['a number pre', { pre: 100 }],
    ['a post that is not an array', { post: { type: 'thumbnail' } }],
    ['a post value that is not a string', { post: [{ type: 'thumbnail', value: 100 }] }],
    ['a post protocol that is not a string', { post: [{ type: 'abs', value: 'x', protocol: 1 }] }],
  ])('refuses %s', (_, value) => {
    expect(isValidTransformation(value)).toBe(false)
  })
})

describe('webhookUrl', () => {
  it('takes absolute http(s) URLs only', () => {
    expect(isValidWebhookUrl('https://example.com/hook?x=1')).toBe(true)
    expect(isValidWebhookUrl('http://localhost:3000/h')).toBe(true)
    expect(isValidWebhookUrl('ftp://example.com/h')).toBe(false)
    expect(isValidWebhookUrl('/relative')).toBe(false)
    expect(isValidWebhookUrl('https://exa mple.com')).toBe(false)
  })
})

describe('isValidExpire', () => {
  const now = 1_700_000_000
  it('takes a future time less than 1 hour ahead', () => {
    expect(isValidExpire(now + 1, now)).toBe(true)
    expect(isValidExpire(String(now + 3599), now)).toBe(true)
  })

  it('refuses now, the past, 1 hour ahead or more, and non-numbers', () => {
    expect(isValidExpire(now, now)).toBe(false)
    expect(isValidExpire(now - 1, now)).toBe(false)
    expect(isValidExpire(now + 3600, now)).toBe(false)
    expect(isValidExpire('1e10', now)).toBe(false)
    expect(isValidExpire('', now)).toBe(false)
    expect(isValidExpire(`${now + 10}.0`, now)).toBe(false)
  })

  // Issue 9, defect 2: `0` + expire signs like expire with a `0` on the token's end.
  it('refuses anything but canonical decimal, even inside the window', () => {
    for (const text of [`0${now + 10}`, `+${now + 10}`, ` ${now + 10}`, `${now + 10} `, `${now + 10}\n`])
      expect(isValidExpire(text, now), JSON.stringify(text)).toBe(false)
  })
})

describe('isCanonicalExpire', () => {
  it('takes digits whose first is not 0, as a string or a number', () => {
    expect(isCanonicalExpire('1582269249')).toBe(true)
    expect(isCanonicalExpire(1582269249)).toBe(true)
    expect(isCanonicalExpire('9')).toBe(true)
  })

  it.each(['', '0', '01582269249', '+1582269249', '-1', ' 1', '1 ', '1e9', '1.5', '0x10', '１２'])(
    'refuses %j',
    (text) => {
      expect(isCanonicalExpire(text)).toBe(false)
    },
  )

  it('refuses numbers that do not print as plain digits', () => {
    expect(isCanonicalExpire(1e21)).toBe(false)
    expect(isCanonicalExpire(1.5)).toBe(false)
    expect(isCanonicalExpire(Number.NaN)).toBe(false)
    expect(isCanonicalExpire(0)).toBe(false)
  })
})

describe('the client predicates', () => {
  // The browser checks with isValid*, the server judges with parse*: they must never disagree.
  const samples = [
    '',
    '/',
    '//a///b/',
    'a.b',
    '..',
    'фото/東京',
    `${'d/'.repeat(50)}`,
    `${'d/'.repeat(51)}`,
    'tags, metadata',
    'tags,size',
    '10,10,100,100',
    ' 1 , 2 , 3 , 4 ',
    '1,2,3',
    '-1,0,1,1',
    '50%',
    'a'.repeat(500),
    'a'.repeat(501),
  ]

  it.each(samples)('agree with the parsers on %j', (value) => {
    expect(isValidFolder(value)).toBe(parseFolder(value) !== null)
    expect(isValidTags(value)).toBe(parseTags(value) !== null)
    expect(isValidCustomCoordinates(value)).toBe(parseCustomCoordinates(value) !== null)
    expect(isValidResponseFields(value)).toBe(parseResponseFields(value) !== null)
  })
})
