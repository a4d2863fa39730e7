import { describe, expect, it } from 'vitest'
import { type CheckFacts, parseChecks, parseSize } from '../checks'

const KB = 1024
const MB = 1024 * 1024
const jpeg = (size: number, folder = '/'): CheckFacts => ({ size, mime: 'image/jpeg', folder })

/** Parses an expression the test expects to be valid and evaluates it. */
function check(expression: string, facts: CheckFacts): boolean {
  const evaluate = parseChecks(expression)
  if (!evaluate) throw new Error(`expected valid syntax: ${expression}`)
  return evaluate(facts)
}

describe('parseSize', () => {
  it.each([
    ['0', 0],
    ['2048', 2048],
    ['100b', 100],
    ['1kb', KB],
    ['1KB', KB],
    ['1Kb', KB],
    ['1.5kb', 1536],
    ['1mb', MB],
    [' 25 MB ', 25 * MB],
    ['1gb', 1024 * MB],
  ])('reads %j as %d bytes, 1kb being 1024', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes)
  })

  it.each([[''], ['mb'], ['1tb'], ['-1kb'], ['1,5mb'], ['1 m b'], ['ten']])('refuses %j', (text) => {
    expect(parseSize(text)).toBeNull()
  })
})

describe('parseChecks evaluation', () => {
  it('compares file.size with < against a size in mb', () => {
    expect(check('"file.size" < "1mb"', jpeg(MB - 1))).toBe(true)
    expect(check('"file.size" < "1mb"', jpeg(MB))).toBe(false)
  })

  it('supports <=, >, >=, = and : on file.size', () => {
    expect(check('"file.size" <= "1kb"', jpeg(KB))).toBe(true)
    expect(check('"file.size" <= "1kb"', jpeg(KB + 1))).toBe(false)
    expect(check('"file.size" > "1kb"', jpeg(KB))).toBe(false)
    expect(check('"file.size" > "1kb"', jpeg(KB + 1))).toBe(true)
    expect(check('"file.size" >= "1kb"', jpeg(KB))).toBe(true)
    expect(check('"file.size" = "1kb"', jpeg(KB))).toBe(true)
    expect(check('"file.size" : 1024', jpeg(KB))).toBe(true)
    expect(check('"file.size" : 1024', jpeg(KB + 1))).toBe(false)
  })

  it('takes size units in any case', () => {
    expect(check('"file.size" < "1MB"', jpeg(MB - 1))).toBe(true)
    expect(check('"file.size" < "1Gb"', jpeg(MB * 1023))).toBe(true)
    expect(check('"file.size" >= "2KB"', jpeg(2048))).toBe(true)
  })

  it('compares file.mime for equality with = or :, ignoring case', () => {
    expect(check('"file.mime": "image/jpeg"', jpeg(1))).toBe(true)
    expect(check('"file.mime" = "IMAGE/JPEG"', jpeg(1))).toBe(true)
    expect(check('"file.mime" : "image/png"', jpeg(1))).toBe(false)
  })

  it('tests membership with IN, NOT ... IN and ... NOT IN', () => {
    const list = '["image/png", "image/jpeg", "image/svg+xml"]'
    expect(check(`"file.mime" IN ${list}`, jpeg(1))).toBe(true)
    expect(check(`"file.mime" IN ["image/png"]`, jpeg(1))).toBe(false)
    expect(check(`NOT "file.mime" IN ${list}`, jpeg(1))).toBe(false)
    expect(check(`"file.mime" NOT IN ["image/gif"]`, jpeg(1))).toBe(true)
    expect(check('"file.size" IN ["1kb", 2048]', jpeg(2048))).toBe(true)
  })

  it('compares request.folder as a normalised path', () => {
    expect(check('"request.folder": "/products"', jpeg(1, 'products/'))).toBe(true)
    expect(check('"request.folder": "products"', jpeg(1, '//products'))).toBe(true)
    expect(check('"request.folder": "/products"', jpeg(1, '/products/shoes'))).toBe(false)
    expect(check('"request.folder" : "/"', jpeg(1, ''))).toBe(true)
  })

  it('combines with AND and OR, AND binding tighter', () => {
    const expression = '"file.mime": "image/png" OR "file.size" > "1kb" AND "file.size" < "1mb"'
    expect(check(expression, { size: 1, mime: 'image/png', folder: '/' })).toBe(true)
    expect(check(expression, jpeg(2 * KB))).toBe(true)
    expect(check(expression, jpeg(2 * MB))).toBe(false)
    expect(check(expression, jpeg(1))).toBe(false)
  })

  it('lets parentheses override precedence', () => {
    const expression = '("file.mime": "image/png" OR "file.size" > "1kb") AND "file.size" < "1mb"'
    expect(check(expression, { size: 2 * MB, mime: 'image/png', folder: '/' })).toBe(false)
    expect(check(expression, { size: 1, mime: 'image/png', folder: '/' })).toBe(true)
  })

  it('applies NOT to the next term only, and to a parenthesised group', () => {
    expect(check('NOT "file.mime": "image/png" AND "file.size" < 10', jpeg(5))).toBe(true)
    expect(check('NOT "file.mime": "image/png" AND "file.size" < 10', jpeg(50))).toBe(false)
    expect(check('NOT ("file.size" > "1gb" OR "file.mime": "image/gif")', jpeg(5))).toBe(true)
    expect(check('NOT NOT "file.size" < 10', jpeg(5))).toBe(true)
  })

  it('takes keywords in any case and keys without quotes', () => {
    expect(check('"file.size" > 1 and not "file.mime" in ["image/png"] or "file.size" = 0', jpeg(2))).toBe(
      true,
    )
    expect(check("file.size < '1mb'", jpeg(2))).toBe(true)
  })

  it('evaluates a long OR chain without exhausting the stack', () => {
    const expression = Array.from({ length: 20_000 }, (_, i) => `"file.size" = ${i}`).join(' OR ')
    expect(check(expression, jpeg(19_999))).toBe(true)
    expect(check(expression, jpeg(20_000))).toBe(false)
  })
})

describe('parseChecks syntax', () => {
  it.each([
    ['an empty expression', ''],
    ['only blanks', '   '],
    ['a missing value', '"file.size" <'],
    ['a missing operator', '"file.size" "1mb"'],
    ['an unknown key', '"file.width" > 10'],
    ['an unknown unit', '"file.size" < "1tb"'],
    ['a size that is not a number', '"file.size" < "big"'],
    ['an ordering of a mime type', '"file.mime" < "image/png"'],
    ['an ordering of a folder', '"request.folder" >= "/a"'],
    ['an unterminated string', '"file.size < 1mb'],
    ['an unclosed parenthesis', '("file.size" < 1'],
    ['an unopened parenthesis', '"file.size" < 1)'],
    ['a dangling AND', '"file.size" < 1 AND'],
    ['a leading OR', 'OR "file.size" < 1'],
    ['an empty IN list', '"file.mime" IN []'],
    ['an IN without a list', '"file.mime" IN "image/png"'],
    ['an unclosed IN list', '"file.mime" IN ["image/png"'],
    ['NOT before an operator', '"file.size" NOT < 1'],
    ['two comparisons without a connective', '"file.size" < 1 "file.size" > 0'],
    ['an unsupported operator', '"file.size" != 1'],
    ['nesting deeper than 64', `${'('.repeat(100)}"file.size" < 1${')'.repeat(100)}`],
    ['a NOT chain deeper than 64', `${'NOT '.repeat(100)}"file.size" < 1`],
  ])('refuses %s', (_, expression) => {
    expect(parseChecks(expression)).toBeNull()
  })

  it('accepts nesting up to 64 levels', () => {
    expect(parseChecks(`${'('.repeat(64)}"file.size" < 1${')'.repeat(64)}`)).not.toBeNull()
  })
})
