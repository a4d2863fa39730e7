/**
 * The field rules of spec section 2 as pure functions. The client runs them before any byte leaves;
 * the msw handlers and the local server run the same functions to judge requests.
 */
import { POST_TRANSFORMATION_TYPES, type ResponseField } from './fields'

/** The hosted free plan's per-file limit and the kit's default: 25 MB = 26,214,400 bytes. */
export const DEFAULT_MAX_FILE_SIZE = 26_214_400

/** How far ahead `expire` may be: strictly less than 1 hour. */
export const MAX_EXPIRE_AHEAD_SECONDS = 3600

/** The most `tags` may hold, counting every character of the field. */
export const MAX_TAGS_LENGTH = 500

/**
 * The longest `fileName` accepted, in characters (UTF-16 code units, as JavaScript counts them).
 * Ours: ImageKit publishes no limit; 1024 is the usual bound of a whole path, and a name past it is
 * an attack on the record store, not a file someone named (issue 9, defect 11: 1 MB was taken).
 */
export const MAX_FILE_NAME_LENGTH = 1024

/** The deepest folder nesting. */
export const MAX_FOLDER_DEPTH = 50

/** The most `transformation.post` items. */
export const MAX_POST_TRANSFORMATIONS = 5

/** Every char outside letters, marks and numbers of any script, `.`, `_` and `-` becomes `_`. */
export function sanitizeFileName(name: string): string {
  return name.replace(/[^\p{L}\p{M}\p{N}._-]/gu, '_')
}

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'

/** A unique suffix: `_` plus 9 chars of `[A-Za-z0-9_-]`, from WebCrypto randomness. */
export function makeUniqueSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9))
  let suffix = '_'
  // 64 symbols: the low 6 bits of each byte pick one with no bias.
  for (const byte of bytes) suffix += SUFFIX_ALPHABET[byte & 63]
  return suffix
}

/** Puts `suffix` before the last extension: `photo.jpg` → `photo_X.jpg`, `README` → `README_X`. */
export function addUniqueSuffix(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.')
  // A leading dot (`.env`) is part of the name, not an extension.
  return dot > 0 ? name.slice(0, dot) + suffix + name.slice(dot) : name + suffix
}

/**
 * The folder as its non-empty segments (`//a///b/` → `['a', 'b']`), or `null` when it holds a char
 * outside letters, marks, numbers, `/`, `_`, `-`, or nests deeper than 50 levels. Since `.` is not
 * allowed, no segment can be `.` or `..`.
 */
export function parseFolder(folder: string): string[] | null {
  return isValidFolder(folder) ? folder.split('/').filter(Boolean) : null
}

/**
 * The folder rule: at most MAX_FOLDER_DEPTH (50) segments of letters, marks, numbers, `_` and `-`,
 * each ended by `/` or the end. A segment cannot stop short of a `/`, so there is one way to match
 * and no backtracking blow-up on a long bad folder. A regex, so the browser client can hold it as is.
 */
export const FOLDER_RULE = /^\/*([\p{L}\p{M}\p{N}_-]+(\/+|$)){0,50}$/u

/** The folder rule alone, without building segments. */
export function isValidFolder(folder: string): boolean {
  return FOLDER_RULE.test(folder)
}

/** `filePath = "/" + folder segments + "/" + name`, never with `//`, `.` or `..` segments. */
export function toFilePath(folderSegments: readonly string[], name: string): string {
  return `/${[...folderSegments, name].join('/')}`
}

/** The tags of a `tags` field (`a, b,,c` → `['a', 'b', 'c']`), or `null` when over 500 chars or holding `%`. */
export function parseTags(value: string): string[] | null {
  if (!isValidTags(value)) return null
  return value
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean)
}

/** The tags rule: at most MAX_TAGS_LENGTH (500) characters, commas included, and no `%`. */
export const TAGS_RULE = /^[^%]{0,500}$/

/** The tags rule alone. */
export function isValidTags(value: string): boolean {
  return TAGS_RULE.test(value)
}

/**
 * The customCoordinates rule: four non-negative integers of at most 15 digits each, so every one is
 * a safe integer (400 digits were stored as `"Infinity,0,1,1"`: issue 9, defect 11).
 */
export const COORDINATES_RULE = /^\s*\d{1,15}\s*(,\s*\d{1,15}\s*){3}$/

/** The customCoordinates rule alone: four non-negative integers of at most 15 digits. */
export function isValidCustomCoordinates(value: string): boolean {
  return COORDINATES_RULE.test(value)
}

/** `x,y,width,height` as four non-negative safe integers, or `null`. */
export function parseCustomCoordinates(value: string): [number, number, number, number] | null {
  // Number() trims the spaces the rule allows around each item.
  return isValidCustomCoordinates(value)
    ? (value.split(',').map(Number) as [number, number, number, number])
    : null
}

/** The trimmed names of a `responseFields` list, or `null` when one is not allowed. */
export function parseResponseFields(value: string): ResponseField[] | null {
  return isValidResponseFields(value)
    ? (value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean) as ResponseField[])
    : null
}

/**
 * The responseFields rule: a comma list whose trimmed, non-empty items are RESPONSE_FIELDS names
 * (a test holds the two together). Each item ends at a `,` or the end, so matching is linear.
 */
export const RESPONSE_FIELDS_RULE =
  /^(\s*((tags|customCoordinates|isPrivateFile|embeddedMetadata|isPublished|customMetadata|metadata|selectedFieldsSchema)\s*)?(,|$))+$/

/** The responseFields rule alone. */
export function isValidResponseFields(value: string): boolean {
  return RESPONSE_FIELDS_RULE.test(value)
}

/** A boolean field: exactly `"true"` or `"false"`; anything else is `null`. */
export function parseBoolean(value: string): boolean | null {
  return value === 'true' ? true : value === 'false' ? false : null
}

/** Parses a JSON field; `undefined` when it is not valid JSON. */
export function parseJson(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** `customMetadata`: a JSON object. */
export function isValidCustomMetadata(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value)
}

/** `extensions`: a JSON array of objects that each have a string `name`. */
export function isValidExtensions(value: unknown): value is { name: string }[] {
  return Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item.name === 'string')
}

/**
 * `transformation`: `{pre?: string, post?: [{type, value?, protocol?}]}` with `post[].type` one of
 * `transformation`, `gif-to-video`, `thumbnail`, `abs`, and at most 5 post items.
 */
export function isValidTransformation(value: unknown): boolean {
  if (!isPlainObject(value)) return false
  const { pre, post } = value
  if (pre !== undefined && typeof pre !== 'string') return false
  if (post === undefined) return pre !== undefined
  return (
    Array.isArray(post) &&
    post.length <= MAX_POST_TRANSFORMATIONS &&
    post.every(
      (item) =>
        isPlainObject(item) &&
        (POST_TRANSFORMATION_TYPES as readonly unknown[]).includes(item.type) &&
        (item.value === undefined || typeof item.value === 'string') &&
        (item.protocol === undefined || typeof item.protocol === 'string'),
    )
  )
}

/** `webhookUrl`: an absolute `http(s)` URL. */
export function isValidWebhookUrl(value: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(value)
}

/**
 * `expire` in canonical decimal: digits only, the first not `0`; no sign, space, fraction or
 * exponent. The signature covers `token + expire` as one string, so with leading zeros allowed
 * `(token "…0", expire E)` and `(token "…", expire "0" + E)` carry one signature and a single-use
 * token could be replayed under another name (issue 9, defect 2). Canonical, and within the hour
 * ahead, a signed message splits one way only.
 */
export function isCanonicalExpire(value: string | number): boolean {
  return /^[1-9]\d*$/.test(String(value))
}

/** `expire`: canonical decimal Unix seconds, in the future and less than 1 hour ahead of `nowSeconds`. */
export function isValidExpire(value: string | number, nowSeconds: number): boolean {
  const expire = Number(value)
  return isCanonicalExpire(value) && expire > nowSeconds && expire < nowSeconds + MAX_EXPIRE_AHEAD_SECONDS
}
