import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  DELIVERY_NOT_FOUND,
  DELIVERY_NOT_SIGNED,
  NO_EXPIRY,
  safeEqual,
  signDeliveryPath,
} from '@ik-upload/core/protocol'
import type { FileStore, StoredFile } from './FileStore'
import type { Accepts, ImageRenderer } from './ImageRenderer'
import { parseTransformation, requestedFormat } from './parseTransformation'
import { sendJson } from './sendJson'

/** What delivery needs from the server around it. */
export interface DeliveryContext {
  store: FileStore
  privateKey: string
  /** Renders transformations within delivery's limits and keeps the renderings. */
  renderer: ImageRenderer
}

const deliveryError = (res: ServerResponse, status: number, message: string) =>
  sendJson(res, status, { message })

/** The query without `ik-t` and `ik-s`, each other parameter byte for byte as it came. */
function unsignedQuery(rawQuery: string): string {
  return rawQuery
    .split('&')
    .filter((pair) => pair && !/^ik-[st](=|$)/.test(pair))
    .join('&')
}

/**
 * Whether the URL carries a valid signature (spec section 5): `ik-s` = HMAC-SHA1(privateKey, <the
 * URL after urlEndpoint + "/"> + <ik-t or 9999999999>), `ik-t` not past. The signed string is the
 * URL as the SDK built it, before `ik-t`/`ik-s` were appended; both its percent-encoded and decoded
 * forms are tried, since SDKs differ in whether they encode the path before signing.
 */
async function hasValidSignature(privateKey: string, rawPath: string, rawQuery: string): Promise<boolean> {
  const params = new URLSearchParams(rawQuery)
  const signature = params.get('ik-s')
  const expiresAt = params.get('ik-t')
  if (!signature) return false
  if (expiresAt !== null && (!/^\d+$/.test(expiresAt) || Number(expiresAt) <= Date.now() / 1000)) return false
  const query = unsignedQuery(rawQuery)
  const signed = rawPath + (query ? `?${query}` : '')
  const candidates = new Set([signed])
  try {
    candidates.add(decodeURI(signed))
  } catch {}
  for (const candidate of candidates) {
    const expected = await signDeliveryPath(privateKey, candidate, expiresAt ?? NO_EXPIRY)
    if (safeEqual(signature, expected)) return true
  }
  return false
}

/** Splits `tr:w-100/a/b.jpg` into the path transformation and the `filePath`, decoded. */
function splitPath(rawPath: string): { transformation?: string; filePath: string } | null {
  const segments = rawPath.split('/')
  let transformation: string | undefined
  if (segments[0]?.startsWith('tr:')) transformation = segments.shift()?.slice(3)
  try {
    const decoded = segments.filter(Boolean).map((segment) => decodeURIComponent(segment))
    if (decoded.length === 0) return null
    return {
      ...(transformation !== undefined && { transformation: decodeURIComponent(transformation) }),
      filePath: `/${decoded.join('/')}`,
    }
  } catch {
    return null
  }
}

/** One `bytes=start-end` range within `size`, or `undefined` for none, `null` for unsatisfiable. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null
  if (!match || (match[1] === '' && match[2] === '')) return undefined
  let start: number
  let end: number
  if (match[1] === '') {
    // A suffix range: the last N bytes.
    start = Math.max(0, size - Number(match[2]))
    end = size - 1
  } else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  }
  return start <= end && start < size ? { start, end } : null
}

/** Whether an `Accept` header names a type with a non-zero quality (wildcards do not count). */
function acceptsType(header: string | undefined, type: string): boolean {
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase())
    if (name !== type) continue
    const q = params.find((param) => param.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  }
  return false
}

/** What `f-auto` may pick for this request: AVIF, then WebP, then the stored format. */
export function parseAccepts(header: string | undefined): Accepts {
  return { avif: acceptsType(header, 'image/avif'), webp: acceptsType(header, 'image/webp') }
}

/**
 * `GET|HEAD <urlEndpoint>/[tr:<transformation>/]<filePath>[?tr=<transformation>]` (spec section 5):
 * the stored bytes with their content type, or a rendering of the transformation (see
 * `parseTransformation` for the parameters, `ImageRenderer` for the limits). Private files (and
 * unpublished ones) need a valid `ik-s`/`ik-t` signature: 401 without one for private files, 404
 * for unpublished ones, as if they did not exist. A transformation the server cannot render is a
 * 400 (bad parameter), 422 (this image cannot be rendered within the limits) or 503 (too many
 * renders now, with `Retry-After`): never the original bytes in its place. Non-images (videos
 * included) are served as stored, whatever the transformation.
 *
 * Caching: `ETag` is the version id (plus a hash of the transformation for a rendering), and
 * `Cache-Control: no-cache` lets browsers keep a copy but revalidate it every time (a cheap 304,
 * answered before any render), because a file replaced with `useUniqueFileName=false` keeps its
 * URL and must not be served stale. Signed answers are `private`. `f-auto` answers vary on `Accept`.
 */
export async function handleDelivery(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: DeliveryContext,
  rawPath: string,
  rawQuery: string,
): Promise<void> {
  // Uploaded files come from strangers: never let one run as a page (an SVG with a script, say).
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
  const parts = splitPath(rawPath)
  if (!parts) return deliveryError(res, 404, DELIVERY_NOT_FOUND)
  const record = ctx.store.current(parts.filePath)
  if (!record) return deliveryError(res, 404, DELIVERY_NOT_FOUND)
  const restricted = record.isPrivateFile || !record.isPublished
  if (restricted && !(await hasValidSignature(ctx.privateKey, rawPath, rawQuery))) {
    if (record.isPrivateFile) return deliveryError(res, 401, DELIVERY_NOT_SIGNED)
    return deliveryError(res, 404, DELIVERY_NOT_FOUND)
  }

  const blob = ctx.store.blobPath(record)
  const original = { path: blob, mime: record.mime, etag: `"${record.versionId}"` }
  const queryTransformation = new URLSearchParams(rawQuery).get('tr')
  const text = [parts.transformation, queryTransformation].filter(Boolean).join(':')
  if (!text || record.fileType !== 'image') return sendFile(req, res, record, restricted, original)
  const parsed = parseTransformation(text)
  if (!parsed.ok) return deliveryError(res, 400, parsed.message)
  const { transformation } = parsed
  if (transformation.original || transformation.steps.length === 0)
    return sendFile(req, res, record, restricted, original)

  const accepts = parseAccepts(req.headers.accept)
  if (requestedFormat(transformation) === 'auto') res.setHeader('Vary', 'Accept')
  const { etag } = ctx.renderer.keyOf(record, transformation, accepts)
  if (isNotModified(req, etag)) {
    setCachingHeaders(res, record, restricted, etag)
    res.statusCode = 304
    res.end()
    return
  }
  const result = await ctx.renderer.render(record, blob, transformation, accepts)
  if (!result.ok) {
    res.setHeader('Cache-Control', 'no-store')
    if (result.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(result.retryAfterSeconds))
    return deliveryError(res, result.status, result.message)
  }
  try {
    await sendFile(req, res, record, restricted, {
      path: result.rendering.path,
      mime: result.rendering.mime,
      etag,
    })
  } finally {
    ctx.renderer.release(result.rendering)
  }
}

function isNotModified(req: IncomingMessage, etag: string): boolean {
  return req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag) ?? false
}

function setCachingHeaders(res: ServerResponse, record: StoredFile, restricted: boolean, etag: string): void {
  res.setHeader('ETag', etag)
  res.setHeader('Last-Modified', new Date(record.updatedAt ?? Date.now()).toUTCString())
  res.setHeader('Cache-Control', restricted ? 'private, no-cache' : 'public, no-cache')
}

/** Sends a file (the stored bytes or a rendering) with ranges, HEAD and 304. */
async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  record: StoredFile,
  restricted: boolean,
  file: { path: string; mime: string; etag: string },
): Promise<void> {
  setCachingHeaders(res, record, restricted, file.etag)
  res.setHeader('Accept-Ranges', 'bytes')
  if (isNotModified(req, file.etag)) {
    res.statusCode = 304
    res.end()
    return
  }

  let size: number
  try {
    size = (await stat(file.path)).size
  } catch {
    return deliveryError(res, 500, 'The stored bytes of this file are missing from the data folder.')
  }
  res.setHeader('Content-Type', file.mime)
  const range = parseRange(req.headers.range, size)
  if (range === null) {
    res.statusCode = 416
    res.setHeader('Content-Range', `bytes */${size}`)
    res.end()
    return
  }
  const { start, end } = range ?? { start: 0, end: size - 1 }
  res.statusCode = range ? 206 : 200
  if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`)
  res.setHeader('Content-Length', Math.max(0, end - start + 1))
  if (req.method === 'HEAD' || size === 0) {
    res.end()
    return
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file.path, { start, end })
    stream.once('error', () => {
      res.destroy()
      resolve()
    })
    res.once('close', () => {
      stream.destroy()
      resolve()
    })
    stream.pipe(res)
  })
}
