/**
 * The server side of the upload API: judges the text fields of a v1 or v2 upload request in the
 * spec's order (section 3) and returns either the normalised upload or the one error to answer.
 * The msw handlers and the local server both call it, so the rules are written once.
 *
 * The caller checks `file` (presence, size, download) only after a successful judgement, since the
 * file comes last in the order; `judgeUploadFile` then applies the rules that need the file.
 */
import { type ChecksEvaluator, parseChecks } from './checks'
import {
  type ResponseField,
  UPLOAD_FIELD_NAMES,
  type UploadExtension,
  type UploadFieldOptions,
  type UploadTransformation,
} from './fields'
import { overDeepJsonField } from './jsonDepth'
import { decodeJwt, MAX_JWT_LIFETIME_SECONDS, verifyHs256 } from './jwt'
import {
  ACCOUNT_NOT_AUTHENTICATED,
  BOTH_AUTH_METHODS,
  FILE_NAME_TOO_LONG,
  INVALID_CHECKS_SYNTAX,
  INVALID_EXPIRE,
  INVALID_SIGNATURE,
  INVALID_TRANSFORMATION,
  invalidValue,
  missingParameter,
  tokenUsed,
  V2_BOTH_AUTH_METHODS,
  V2_PAYLOAD_MISMATCH,
  V2_TOKEN_EXPIRED,
  V2_TOKEN_INVALID,
} from './messages'
import {
  isValidCustomMetadata,
  isValidExpire,
  isValidExtensions,
  isValidTransformation,
  isValidWebhookUrl,
  MAX_FILE_NAME_LENGTH,
  parseBoolean,
  parseCustomCoordinates,
  parseFolder,
  parseJson,
  parseResponseFields,
  parseTags,
  sanitizeFileName,
} from './rules'
import { safeEqual, signUploadToken } from './signature'

/** What the judge needs from the server around it. Every callback may be sync or async. */
export interface JudgeContext {
  /** The server's clock, Unix seconds. @default Date.now() / 1000 */
  nowSeconds?: number
  /** The private key of an account, or `undefined` (or `''`) when the public key is unknown. */
  privateKeyFor(publicKey: string): string | undefined | Promise<string | undefined>
  /** Whether a token was seen before. */
  isTokenUsed(token: string): boolean | Promise<boolean>
  /** Records a token as used. */
  markTokenUsed(token: string): void | Promise<void>
  /**
   * Optional atomic "mark as used; was it new?". When given it replaces `isTokenUsed` +
   * `markTokenUsed`, which an async store cannot run without a gap in which a concurrent request
   * with the same token also passes (e.g. `INSERT ... ON CONFLICT DO NOTHING` and check the count).
   */
  claimToken?(token: string): boolean | Promise<boolean>
  /** An `Authorization: Basic` header came with the request. @default false */
  hasBasicAuth?: boolean
  /**
   * Lowercase hex of `HMAC-SHA1(key, message)`, both UTF-8, for the v1 signature check. A Node
   * server passes `node:crypto`'s `createHmac`, several times cheaper per request than WebCrypto's
   * promise (a thread-pool job); browsers and msw keep the default.
   * @default hmacSha1Hex (WebCrypto, from `./signature`)
   */
  hmacSha1Hex?(key: string, message: string): string | Promise<string>
}

/** A request that passed every field rule, normalised, with the spec's defaults filled in. */
export interface JudgedUpload {
  /** The account's public key (v2: the JWT's `kid`). */
  publicKey: string
  /** The token that authorised the request (v2: the whole JWT); now used. */
  token: string
  /** The sanitised name, before any unique suffix. */
  fileName: string
  useUniqueFileName: boolean
  tags: string[] | null
  /** The non-empty folder segments (`//a///b/` → `['a', 'b']`). */
  folderSegments: string[]
  /** The folder as a normalised path: `/` or `/a/b`. */
  folder: string
  isPrivateFile: boolean
  /** Normalised `x,y,width,height`. */
  customCoordinates: string | null
  responseFields: ResponseField[]
  isPublished: boolean
  description: string | null
  overwriteFile: boolean
  overwriteTags: boolean
  overwriteAITags: boolean
  overwriteCustomMetadata: boolean
  customMetadata: Record<string, unknown> | null
  extensions: UploadExtension[] | null
  webhookUrl: string | null
  transformation: UploadTransformation | null
  /** The parsed `checks` expression, to run once the file is known. */
  checks: ChecksEvaluator | null
}

/** The answer to a refused request. */
export interface Refusal {
  ok: false
  status: number
  message: string
}

/** The judge's answer: the normalised upload, or the status and message to answer with. */
export type Judgement = { ok: true; upload: JudgedUpload } | Refusal

/** The upload fields as they arrived: every text field of the form, `undefined` when absent. */
export type UploadRequestFields = Readonly<Record<string, string | undefined>>

const refuse = (message: string, status = 400): Refusal => ({ ok: false, status, message })

const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as PromiseLike<T> | null)?.then === 'function'

/**
 * Refuses a used token, else marks it used. With synchronous callbacks (an in-memory set, a
 * better-sqlite3 statement) nothing is awaited between the look-up and the mark, so two concurrent
 * requests with one token cannot both pass.
 */
async function claim(token: string, ctx: JudgeContext): Promise<boolean> {
  if (ctx.claimToken) return await ctx.claimToken(token)
  const used = ctx.isTokenUsed(token)
  if (isPromiseLike(used) ? await used : used) return false
  await ctx.markTokenUsed(token)
  return true
}

/**
 * The sanitised name. `.` and `..` survive `sanitizeFileName` (dots are allowed) but would make
 * `filePath` climb out of its folder on a disk-backed server, so their dots become `_` too.
 */
function storedFileName(name: string): string {
  const sanitized = sanitizeFileName(name)
  return sanitized === '.' || sanitized === '..' ? sanitized.replace(/\./g, '_') : sanitized
}

/** An upload with every option at the spec's default: the judge fills in what the request sends. */
export function newJudgedUpload(publicKey: string, token: string, fileName: string): JudgedUpload {
  return {
    publicKey,
    token,
    fileName,
    useUniqueFileName: true,
    tags: null,
    folderSegments: [],
    folder: '/',
    isPrivateFile: false,
    customCoordinates: null,
    responseFields: [],
    isPublished: true,
    description: null,
    overwriteFile: true,
    overwriteTags: true,
    overwriteAITags: true,
    overwriteCustomMetadata: true,
    customMetadata: null,
    extensions: null,
    webhookUrl: null,
    transformation: null,
    checks: null,
  }
}

/** Whether one field passed (its value then written into the upload), or the message to refuse with. */
type FieldResult = { ok: true } | { ok: false; message: string }

type BooleanField =
  | 'useUniqueFileName'
  | 'isPrivateFile'
  | 'isPublished'
  | 'overwriteFile'
  | 'overwriteTags'
  | 'overwriteAITags'
  | 'overwriteCustomMetadata'

/**
 * Judges `fileName` and then every other option field in wire order, filling in `upload`. Shared
 * by v1 and v2: everything after the token check is the same in both.
 */
function judgeOptionFields(fields: UploadRequestFields, publicKey: string, token: string): Judgement {
  const fileName = fields.fileName
  if (!fileName) return refuse(missingParameter('fileName'))
  if (fileName.length > MAX_FILE_NAME_LENGTH) return refuse(FILE_NAME_TOO_LONG)
  const upload = newJudgedUpload(publicKey, token, storedFileName(fileName))
  const bad = (name: string): FieldResult => ({ ok: false, message: invalidValue(name) })
  const good: FieldResult = { ok: true }
  const bool = (name: BooleanField, value: string): FieldResult => {
    const parsed = parseBoolean(value)
    if (parsed === null) return bad(name)
    upload[name] = parsed
    return good
  }
  // One reader per option, so the loop below can walk UPLOAD_FIELD_NAMES in wire order and
  // a request with several bad fields always gets the first one's message.
  const readers: Record<Exclude<keyof UploadFieldOptions, 'fileName'>, (value: string) => FieldResult> = {
    useUniqueFileName: (value) => bool('useUniqueFileName', value),
    tags: (value) => {
      upload.tags = parseTags(value)
      return upload.tags ? good : bad('tags')
    },
    folder: (value) => {
      const segments = parseFolder(value)
      if (!segments) return bad('folder')
      upload.folderSegments = segments
      upload.folder = `/${segments.join('/')}`
      return good
    },
    isPrivateFile: (value) => bool('isPrivateFile', value),
    customCoordinates: (value) => {
      const coordinates = parseCustomCoordinates(value)
      if (!coordinates) return bad('customCoordinates')
      upload.customCoordinates = coordinates.join(',')
      return good
    },
    responseFields: (value) => {
      const names = parseResponseFields(value)
      if (!names) return bad('responseFields')
      upload.responseFields = [...new Set(names)]
      return good
    },
    isPublished: (value) => bool('isPublished', value),
    description: (value) => {
      upload.description = value
      return good
    },
    overwriteFile: (value) => bool('overwriteFile', value),
    overwriteTags: (value) => bool('overwriteTags', value),
    overwriteAITags: (value) => bool('overwriteAITags', value),
    overwriteCustomMetadata: (value) => bool('overwriteCustomMetadata', value),
    customMetadata: (value) => {
      const parsed = parseJson(value)
      if (!isValidCustomMetadata(parsed)) return bad('customMetadata')
      upload.customMetadata = parsed
      return good
    },
    extensions: (value) => {
      const parsed = parseJson(value)
      if (!isValidExtensions(parsed)) return bad('extensions')
      upload.extensions = parsed
      return good
    },
    webhookUrl: (value) => {
      if (!isValidWebhookUrl(value)) return bad('webhookUrl')
      upload.webhookUrl = value
      return good
    },
    transformation: (value) => {
      const parsed = parseJson(value)
      if (!isValidTransformation(parsed)) return { ok: false, message: INVALID_TRANSFORMATION }
      upload.transformation = parsed as UploadTransformation
      return good
    },
    checks: (value) => {
      upload.checks = parseChecks(value)
      return upload.checks ? good : { ok: false, message: INVALID_CHECKS_SYNTAX }
    },
  }
  for (const name of UPLOAD_FIELD_NAMES) {
    const value = fields[name]
    if (name === 'fileName' || value === undefined) continue
    const result = readers[name](value)
    if (!result.ok) return refuse(result.message)
  }
  return { ok: true, upload }
}

/**
 * Judges a v1 client-side upload (spec sections 2 and 3) in the spec's order: auth fields present
 * (`publicKey`; 403 for an unknown one; Basic auth together with a signature; `signature`, `token`,
 * `expire`) → `expire` window → signature → token not used → `fileName` → the other fields in wire
 * order. From the token check on the token counts as used, so a request that fails later still
 * burns it.
 */
export async function judgeUploadFields(fields: UploadRequestFields, ctx: JudgeContext): Promise<Judgement> {
  const { publicKey, signature, token, expire } = fields
  if (!publicKey) return refuse(missingParameter('publicKey'))
  const privateKey = await ctx.privateKeyFor(publicKey)
  if (!privateKey) return refuse(ACCOUNT_NOT_AUTHENTICATED, 403)
  if (ctx.hasBasicAuth && signature) return refuse(BOTH_AUTH_METHODS)
  if (!signature) return refuse(missingParameter('signature'))
  if (!token) return refuse(missingParameter('token'))
  if (!expire) return refuse(missingParameter('expire'))
  if (!isValidExpire(expire, ctx.nowSeconds ?? Date.now() / 1000)) return refuse(INVALID_EXPIRE)
  const expected = ctx.hmacSha1Hex
    ? await ctx.hmacSha1Hex(privateKey, token + expire)
    : await signUploadToken(privateKey, token, expire)
  if (!safeEqual(signature, expected)) return refuse(INVALID_SIGNATURE)
  const deep = overDeepJsonField(fields)
  if (deep) return refuse(invalidValue(deep))
  if (!(await claim(token, ctx))) return refuse(tokenUsed(token))
  return judgeOptionFields(fields, publicKey, token)
}

/** Fields that never go in a v2 payload, or are the payload's own claims. */
const NOT_IN_PAYLOAD = new Set(['file', 'token', 'iat', 'exp'])

/**
 * Whether the request's fields and the JWT payload hold the same fields with the same wire
 * strings, in both directions: a field added, dropped or changed after signing is a mismatch.
 */
function payloadMatches(fields: UploadRequestFields, payload: Record<string, unknown>): boolean {
  const sent = Object.entries(fields).filter(
    ([name, value]) => value !== undefined && !NOT_IN_PAYLOAD.has(name),
  )
  const signed = Object.keys(payload).filter((name) => !NOT_IN_PAYLOAD.has(name))
  // Own keys only, so a field named like an Object.prototype member cannot match by inheritance.
  return (
    sent.length === signed.length &&
    sent.every(([name, value]) => Object.hasOwn(payload, name) && payload[name] === value)
  )
}

/**
 * Judges a v2 client-side upload (spec section 6), whose only auth field is `token`, an HS256 JWT
 * with `kid` = public key over every other field: token present → no Basic auth beside it → well
 * formed, known `kid`, good signature → not expired → lifetime at most 1 hour → fields equal to
 * the payload → not used before; then the same `fileName` and field checks as v1.
 */
export async function judgeV2UploadFields(
  fields: UploadRequestFields,
  ctx: JudgeContext,
): Promise<Judgement> {
  const { token } = fields
  if (!token) return refuse(missingParameter('token'))
  // Basic auth carries the private key: refused whatever the token holds, before it is read.
  if (ctx.hasBasicAuth) return refuse(V2_BOTH_AUTH_METHODS)
  const jwt = decodeJwt(token)
  const kid = jwt?.header.kid
  if (!jwt || typeof kid !== 'string' || !kid) return refuse(V2_TOKEN_INVALID)
  const privateKey = await ctx.privateKeyFor(kid)
  if (!privateKey || !(await verifyHs256(token, privateKey))) return refuse(V2_TOKEN_INVALID)
  const { iat, exp } = jwt.payload
  if (!Number.isInteger(iat) || !Number.isInteger(exp)) return refuse(V2_TOKEN_INVALID)
  const now = ctx.nowSeconds ?? Date.now() / 1000
  if ((exp as number) <= now) return refuse(V2_TOKEN_EXPIRED)
  if ((exp as number) - (iat as number) > MAX_JWT_LIFETIME_SECONDS) return refuse(V2_TOKEN_INVALID)
  // Issued in the future: with only exp - iat bounded, such a token would live for as long as its
  // iat is ahead. A minute of clock skew is forgiven.
  if ((iat as number) > now + 60) return refuse(V2_TOKEN_INVALID)
  if (!payloadMatches(fields, jwt.payload)) return refuse(V2_PAYLOAD_MISMATCH)
  // JSON nested too deep to store is refused before the token is spent (issue 9, defect 6).
  const deep = overDeepJsonField(fields)
  if (deep) return refuse(invalidValue(deep))
  if (!(await claim(token, ctx))) return refuse(tokenUsed(token))
  return judgeOptionFields(fields, kid, token)
}

/** A `file` text field, decoded: a URL for the server to download, or the bytes it carries. */
export type DecodedFileField =
  | { kind: 'url'; url: string }
  | { kind: 'bytes'; bytes: Uint8Array; mime?: string }

function base64Bytes(text: string): Uint8Array | null {
  // atob skips ASCII whitespace (line-wrapped base64 is common); base64url is accepted too.
  const compact = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null
  try {
    return Uint8Array.from(atob(compact), (char) => char.charCodeAt(0))
  } catch {
    return null
  }
}

/**
 * Decodes a `file` sent as a text part (spec section 2): an `http(s)` URL, a `data:` URI (base64 or
 * percent-encoded) or plain base64. `null` when it is none of these (the server answers
 * `invalidValue('file')`); an empty value is `null` too, though callers should answer
 * `missingParameter('file')` for it first.
 */
export function decodeFileField(value: string): DecodedFileField | null {
  const text = value.trim()
  if (/^https?:\/\//i.test(text)) {
    try {
      return { kind: 'url', url: new URL(text).href }
    } catch {
      return null
    }
  }
  const dataUri = /^data:([^,]*),(.*)$/is.exec(text)
  if (dataUri) {
    const params = (dataUri[1] ?? '').split(';')
    const isBase64 = params.slice(1).some((param) => param.trim().toLowerCase() === 'base64')
    const mime = params[0]?.trim().toLowerCase() || undefined
    const data = dataUri[2] ?? ''
    let bytes: Uint8Array | null
    if (isBase64) bytes = base64Bytes(data)
    else {
      try {
        bytes = new TextEncoder().encode(decodeURIComponent(data))
      } catch {
        bytes = null
      }
    }
    if (!bytes) return null
    return mime ? { kind: 'bytes', bytes, mime } : { kind: 'bytes', bytes }
  }
  if (!text) return null
  const bytes = base64Bytes(text)
  return bytes ? { kind: 'bytes', bytes } : null
}
