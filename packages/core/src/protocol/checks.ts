/**
 * The `checks` field (spec section 2): a small expression the uploaded file must pass, such as
 * `"file.size" < "1mb" AND "file.mime" IN ["image/jpeg", "image/png"]`.
 *
 * Grammar (keywords case-insensitive; `NOT` binds tighter than `AND`, `AND` tighter than `OR`):
 *
 * ```
 * or         := and ("OR" and)*
 * and        := not ("AND" not)*
 * not        := "NOT" not | "(" or ")" | comparison
 * comparison := key op value | key ["NOT"] "IN" "[" value ("," value)* "]"
 * op         := "<" | "<=" | ">" | ">=" | "=" | ":"
 * key        := "file.size" | "file.mime" | "request.folder"     (quoted, or bare)
 * value      := a quoted string, or a bare word such as 1mb or image/png
 * ```
 *
 * Sizes take the units `b`, `kb`, `mb`, `gb` (any case, 1kb = 1024 bytes; no unit means bytes).
 * Only `file.size` can be ordered; `file.mime` (case-insensitive) and `request.folder` (compared as
 * normalised paths, so `/a/` equals `a`) take `=`, `:` and `IN`.
 */

/** The facts a `checks` expression is judged against. */
export interface CheckFacts {
  /** The file's size in bytes. */
  size: number
  /** The file's MIME type. */
  mime: string
  /** The folder the request uploads into, as sent or normalised (`/a/b`). */
  folder: string
}

/** A parsed `checks` expression: whether the facts pass it. */
export type ChecksEvaluator = (facts: CheckFacts) => boolean

/** The keys a `checks` expression may test. */
export const CHECK_KEYS = ['file.size', 'file.mime', 'request.folder'] as const

/** One key a `checks` expression may test. */
export type CheckKey = (typeof CHECK_KEYS)[number]

const SIZE_UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }

/** A size such as `1mb`, `512 KB`, `1.5gb` or `2048` in bytes (1kb = 1024), or `null`. */
export function parseSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const factor = match && SIZE_UNITS[(match[2] || 'b').toLowerCase()]
  return match && factor ? Number(match[1]) * factor : null
}

type Op = '<' | '<=' | '>' | '>=' | '=' | ':'
type Token =
  | { kind: 'string'; text: string }
  | { kind: 'word'; text: string }
  | { kind: 'op'; text: Op }
  | { kind: 'punct'; text: '(' | ')' | '[' | ']' | ',' }

/** Thrown inside the parser only; `parseChecks` turns it into `null`. */
class ChecksSyntaxError extends Error {}

/** Deepest nesting of parentheses and `NOT`s, so a hostile expression cannot exhaust the stack. */
const MAX_DEPTH = 64

/** A bare word: a keyword, a key, or a value such as `1mb` or `image/svg+xml`. Sticky, so no slicing. */
const WORD = /[\p{L}\p{N}_.\-/+*]+/uy

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const char = source.charAt(i)
    if (/\s/.test(char)) {
      i++
    } else if (char === '"' || char === "'") {
      const end = source.indexOf(char, i + 1)
      if (end < 0) throw new ChecksSyntaxError('unterminated string')
      tokens.push({ kind: 'string', text: source.slice(i + 1, end) })
      i = end + 1
    } else if (char === '<' || char === '>') {
      const withEquals = source.charAt(i + 1) === '='
      tokens.push({ kind: 'op', text: withEquals ? (`${char}=` as Op) : char })
      i += withEquals ? 2 : 1
    } else if (char === '=' || char === ':') {
      tokens.push({ kind: 'op', text: char })
      i++
    } else if (char === '(' || char === ')' || char === '[' || char === ']' || char === ',') {
      tokens.push({ kind: 'punct', text: char })
      i++
    } else {
      WORD.lastIndex = i
      const word = WORD.exec(source)
      if (!word) throw new ChecksSyntaxError(`unexpected ${char}`)
      tokens.push({ kind: 'word', text: word[0] })
      i += word[0].length
    }
  }
  return tokens
}

const normaliseFolder = (folder: string): string => `/${folder.split('/').filter(Boolean).join('/')}`

const ORDERINGS: Readonly<Record<Op, (a: number, b: number) => boolean>> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '=': (a, b) => a === b,
  ':': (a, b) => a === b,
}

/** How each key reads its fact and its literals: sizes as numbers, mimes lowercased, folders normalised. */
function compileComparison(key: CheckKey, op: Op | 'IN', values: readonly string[]): ChecksEvaluator {
  if (key === 'file.size') {
    const sizes = values.map((value) => {
      const size = parseSize(value)
      if (size === null) throw new ChecksSyntaxError(`not a size: ${value}`)
      return size
    })
    if (op === 'IN') return ({ size }) => sizes.includes(size)
    const [limit = 0] = sizes
    const compare = ORDERINGS[op]
    return ({ size }) => compare(size, limit)
  }
  if (op !== 'IN' && op !== '=' && op !== ':') throw new ChecksSyntaxError(`${key} cannot be ordered`)
  if (key === 'file.mime') {
    const mimes = values.map((value) => value.trim().toLowerCase())
    return ({ mime }) => mimes.includes(mime.trim().toLowerCase())
  }
  const folders = values.map(normaliseFolder)
  return ({ folder }) => folders.includes(normaliseFolder(folder))
}

class Parser {
  private position = 0
  private depth = 0

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): ChecksEvaluator {
    const evaluator = this.or()
    if (this.position < this.tokens.length) throw new ChecksSyntaxError('trailing tokens')
    return evaluator
  }

  private peek(): Token | undefined {
    return this.tokens[this.position]
  }

  private next(): Token {
    const token = this.tokens[this.position++]
    if (!token) throw new ChecksSyntaxError('unexpected end')
    return token
  }

  private isKeyword(keyword: string): boolean {
    const token = this.peek()
    return token?.kind === 'word' && token.text.toUpperCase() === keyword
  }

  private expectPunct(text: string): void {
    const token = this.next()
    if (token.kind !== 'punct' || token.text !== text) throw new ChecksSyntaxError(`expected ${text}`)
  }

  private nest<T>(parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ChecksSyntaxError('nested too deeply')
    const result = parse()
    this.depth--
    return result
  }

  // Terms are kept in arrays rather than chained closures, so a long `a OR b OR c...` evaluates
  // without deep recursion.
  private or(): ChecksEvaluator {
    const terms = [this.and()]
    while (this.isKeyword('OR')) {
      this.position++
      terms.push(this.and())
    }
    const [only] = terms
    return terms.length === 1 && only ? only : (facts) => terms.some((term) => term(facts))
  }

  private and(): ChecksEvaluator {
    const terms = [this.not()]
    while (this.isKeyword('AND')) {
      this.position++
      terms.push(this.not())
    }
    const [only] = terms
    return terms.length === 1 && only ? only : (facts) => terms.every((term) => term(facts))
  }

  private not(): ChecksEvaluator {
    if (this.isKeyword('NOT')) {
      this.position++
      const inner = this.nest(() => this.not())
      return (facts) => !inner(facts)
    }
    const token = this.peek()
    if (token?.kind === 'punct' && token.text === '(') {
      this.position++
      const inner = this.nest(() => this.or())
      this.expectPunct(')')
      return inner
    }
    return this.comparison()
  }

  private comparison(): ChecksEvaluator {
    const keyToken = this.next()
    const key = keyToken.kind === 'string' || keyToken.kind === 'word' ? keyToken.text : ''
    if (!(CHECK_KEYS as readonly string[]).includes(key)) throw new ChecksSyntaxError(`unknown key ${key}`)
    const checkKey = key as CheckKey
    const negated = this.isKeyword('NOT')
    if (negated) this.position++
    if (this.isKeyword('IN')) {
      this.position++
      const inList = compileComparison(checkKey, 'IN', this.list())
      return negated ? (facts) => !inList(facts) : inList
    }
    const opToken = this.next()
    if (negated || opToken.kind !== 'op') throw new ChecksSyntaxError('expected an operator')
    return compileComparison(checkKey, opToken.text, [this.value()])
  }

  private list(): string[] {
    this.expectPunct('[')
    const values = [this.value()]
    while (this.peek()?.kind === 'punct' && this.peek()?.text === ',') {
      this.position++
      values.push(this.value())
    }
    this.expectPunct(']')
    return values
  }

  private value(): string {
    const token = this.next()
    if (token.kind !== 'string' && token.kind !== 'word') throw new ChecksSyntaxError('expected a value')
    return token.text
  }
}

/**
 * Parses a `checks` expression into an evaluator, or returns `null` when its syntax is bad (the
 * server then answers `INVALID_CHECKS_SYNTAX`; a `false` from the evaluator means `CHECKS_FAILED`).
 */
export function parseChecks(expression: string): ChecksEvaluator | null {
  try {
    const tokens = tokenize(expression)
    return tokens.length === 0 ? null : new Parser(tokens).parse()
  } catch (error) {
    if (error instanceof ChecksSyntaxError) return null
    throw error
  }
}
