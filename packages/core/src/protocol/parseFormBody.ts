/**
 * Reads an upload request's body into its form entries, in wire order, by the protocol's rules
 * (ours: the spec only says "multipart/form-data"), so every judge finds the same fields in the
 * same bytes. The local server streams with busboy; the msw handlers call this instead of
 * `Request.formData()`, whose parser differs between undici and each browser (undici refuses a
 * preamble, `filename*`, an escaped quote or a part without `Content-Disposition`; busboy takes
 * them). The rules, busboy's:
 *
 * - `multipart/form-data` needs a `boundary`; the body is a preamble (ignored), then parts, each
 *   opened by `CRLF--boundary` (the first may start the body), then `--boundary--` and an epilogue
 *   (ignored). No boundary, no first delimiter, part headers without their blank line, or no
 *   closing delimiter (a cut body): malformed.
 * - A part whose `Content-Disposition` is missing, is not `form-data` or has no `name` is skipped
 *   (never a field), as are the parts after the first `MAX_PARTS`. `filename` (or `filename*`),
 *   even empty, makes a part a file; `Content-Transfer-Encoding` is ignored (RFC 7578 deprecates
 *   it); text is UTF-8 whatever the part's charset.
 * - `application/x-www-form-urlencoded`: `&`-separated `name=value`, `+` as space, a `%` not
 *   followed by two hex digits kept as it is, a pair without `=` an empty value, empty pairs
 *   skipped; UTF-8.
 * - Any other type (or none): a form without fields.
 */
import { mimeTypeOf } from './mimeTypeOf'

/** Parts read from one multipart body at most; later ones are skipped (busboy's `parts` limit). */
export const MAX_PARTS = 500

/** One entry of a form: a text field, or a file part with its bytes. */
export type FormEntry =
  | { name: string; value: string }
  | { name: string; file: { bytes: Uint8Array; filename: string; type: string } }

const CR = 13
const LF = 10
const DASH = 45
const utf8 = new TextDecoder()
const encoder = new TextEncoder()

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]
  const last = haystack.length - needle.length
  outer: for (let at = haystack.indexOf(first as number, from); at !== -1 && at <= last; ) {
    for (let offset = 1; offset < needle.length; offset++)
      if (haystack[at + offset] !== needle[offset]) {
        at = haystack.indexOf(first as number, at + 1)
        continue outer
      }
    return at
  }
  return -1
}

/**
 * Bytes as one character each (ISO-8859-1, as busboy reads headers). Not `TextDecoder('latin1')`:
 * that label is windows-1252, which turns 0x80-0x9F (UTF-8 continuation bytes) into other characters.
 */
function byteString(bytes: Uint8Array): string {
  let text = ''
  for (let at = 0; at < bytes.length; at += 8192)
    text += String.fromCharCode(...bytes.subarray(at, at + 8192))
  return text
}

/** Text sent as latin1 bytes that holds UTF-8 (a header value) as the characters it means. */
const asUtf8 = (text: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: bytes over 0x7F, read as latin1.
  /[^\u0000-\u007f]/.test(text) ? utf8.decode(Uint8Array.from(text, (char) => char.charCodeAt(0))) : text

/**
 * The parameters of a header value (`form-data; name="a"; filename*=UTF-8''b.txt`), names in
 * lower case (the last of a repeated one wins, as in busboy), and its first token as `''`: quoted strings with backslash escapes, whitespace
 * outside quotes dropped, `name*=charset'lang'value` percent-decoded into `name`.
 */
export function headerParams(value: string): Map<string, string> {
  const params = new Map<string, string>()
  let index = 0
  const skipSpace = () => {
    while (value[index] === ' ' || value[index] === '\t') index++
  }
  const token = (stops: string) => {
    let text = ''
    for (; index < value.length && !stops.includes(value[index] as string); index++)
      if (value[index] !== ' ' && value[index] !== '\t') text += value[index]
    return text
  }
  params.set('', asUtf8(token(';')))
  while (index < value.length) {
    index++ // the `;`
    skipSpace()
    const key = token('=;').toLowerCase()
    if (value[index] !== '=') continue
    index++
    skipSpace()
    let text = ''
    if (value[index] === '"') {
      for (index++; index < value.length && value[index] !== '"'; index++) {
        if (value[index] === '\\' && index + 1 < value.length) index++
        text += value[index]
      }
      // Anything after the closing quote, up to the next `;`, is ignored.
      while (index < value.length && value[index] !== ';') index++
    } else text = token(';')
    const extended = /^(.*)\*$/.exec(key)
    if (extended) {
      const parts = /^([^']*)'[^']*'(.*)$/.exec(text)
      if (!parts) continue
      try {
        params.set(extended[1] as string, decodeURIComponent(parts[2] as string))
      } catch {
        params.set(extended[1] as string, parts[2] as string)
      }
    } else params.set(key, asUtf8(text))
  }
  return params
}

/**
 * The headers of one part, names in lower case, the first value of each name kept. Read as busboy
 * reads them: blank lines skipped, a line starting with a space or a tab continues the header
 * before it, and the first line that is not `name: value` ends the headers (a padded delimiter
 * line thus leaves a part without headers, skipped).
 */
function partHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>()
  let last: string | undefined
  let lastIsFirst = false
  for (const line of block.split('\r\n')) {
    if (line === '') continue
    if (line.includes('\r') || line.includes('\n')) break
    if ((line[0] === ' ' || line[0] === '\t') && last !== undefined) {
      if (lastIsFirst) headers.set(last, `${headers.get(last)}${line}`)
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) break
    last = line.slice(0, colon).toLowerCase()
    const value = line.slice(colon + 1)
    lastIsFirst = !headers.has(last)
    if (lastIsFirst) headers.set(last, value[0] === ' ' || value[0] === '\t' ? value.slice(1) : value)
  }
  return headers
}

/** The entries of a multipart body with this boundary, or `null` when it is malformed. */
function parseMultipart(body: Uint8Array, boundary: string): FormEntry[] | null {
  const delimiter = encoder.encode(`\r\n--${boundary}`)
  const blankLine = encoder.encode('\r\n\r\n')
  // The first delimiter may start the body, without the CRLF before it.
  const data = new Uint8Array(body.length + 2)
  data.set([CR, LF])
  data.set(body, 2)
  const entries: FormEntry[] = []
  let parts = 0
  let at = indexOf(data, delimiter, 0)
  if (at < 0) return null
  for (;;) {
    const afterDelimiter = at + delimiter.length
    if (data[afterDelimiter] === DASH && data[afterDelimiter + 1] === DASH) return entries
    const headersEnd = indexOf(data, blankLine, afterDelimiter)
    const nextAny = indexOf(data, delimiter, afterDelimiter)
    // Headers that never end before the next delimiter: a part without headers, skipped.
    if (headersEnd < 0 || (nextAny >= 0 && nextAny < headersEnd)) {
      if (nextAny < 0) return null
      at = nextAny
      ++parts
      continue
    }
    const next = indexOf(data, delimiter, headersEnd + blankLine.length)
    if (next < 0) return null
    at = next
    if (++parts > MAX_PARTS) continue
    const headers = partHeaders(byteString(data.subarray(afterDelimiter, headersEnd)))
    const disposition = headerParams(headers.get('content-disposition') ?? '')
    const name = disposition.get('name')
    if (disposition.get('')?.toLowerCase() !== 'form-data' || name === undefined) continue
    const bytes = data.slice(headersEnd + blankLine.length, next)
    const filename = disposition.get('filename')
    if (filename === undefined) entries.push({ name, value: utf8.decode(bytes) })
    else entries.push({ name, file: { bytes, filename, type: headers.get('content-type') ?? '' } })
  }
}

/** A urlencoded body's pairs; `URLSearchParams` reads them by the same rules as the local server's parser. */
function parseUrlEncoded(body: Uint8Array): FormEntry[] {
  const entries: FormEntry[] = []
  // A leading `&` so that a leading `?` stays part of the first name, as on the local server.
  for (const [name, value] of new URLSearchParams(`&${utf8.decode(body)}`)) entries.push({ name, value })
  return entries
}

/**
 * The form entries of a body of this `Content-Type`, in wire order, or `'malformed'` for a
 * `multipart/form-data` body that does not parse (see the module's rules).
 */
export function parseFormBody(
  body: Uint8Array,
  contentType: string | null | undefined,
): FormEntry[] | 'malformed' {
  const type = mimeTypeOf(contentType)
  if (type === 'application/x-www-form-urlencoded') return parseUrlEncoded(body)
  if (type !== 'multipart/form-data') return []
  const boundary = headerParams(contentType ?? '').get('boundary')
  if (!boundary) return 'malformed'
  return parseMultipart(body, boundary) ?? 'malformed'
}
