import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { NO_EXPIRY, safeEqual, signDeliveryPath } from '@ik-upload/core/protocol'
import type { FileStore, StoredFile } from './FileStore'
import { parseTransformation, type Transformation, transformationKey } from './parseTransformation'
import { renderImage } from './renderImage'
import { sendJson } from './sendJson'

/** What delivery needs from the server around it. */
export interface DeliveryContext {
  store: FileStore
  privateKey: string
  /** Where renderings are kept, by version id and transformation. */
  cacheDir: string
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

/**
 * `GET|HEAD <urlEndpoint>/[tr:<transformation>/]<filePath>[?tr=<transformation>]` (spec section 5):
 * the stored bytes with their content type, or a sharp rendering for `w`, `h` and
 * `n-ik_ml_thumbnail`. Private files (and unpublished ones) need a valid `ik-s`/`ik-t` signature:
 * 401 without one for private files, 404 for unpublished ones, as if they did not exist.
 *
 * Caching: `ETag` is the version id plus the transformation, and `Cache-Control: no-cache` lets
 * browsers keep a copy but revalidate it every time (a cheap 304), because a file replaced with
 * `useUniqueFileName=false` keeps its URL and must not be served stale. Signed answers are `private`.
 */
export async function handleDelivery(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: DeliveryContext,
  rawPath: string,
  rawQuery: string,
): Promise<void> {
  const parts = splitPath(rawPath)
  if (!parts) return deliveryError(res, 404, 'No file at this URL.')
  const record = ctx.store.current(parts.filePath)
  if (!record) return deliveryError(res, 404, 'No file at this URL.')
  const restricted = record.isPrivateFile || !record.isPublished
  if (restricted && !(await hasValidSignature(ctx.privateKey, rawPath, rawQuery))) {
    if (record.isPrivateFile) return deliveryError(res, 401, 'This private file needs a valid signed URL.')
    return deliveryError(res, 404, 'No file at this URL.')
  }

  const queryTransformation = new URLSearchParams(rawQuery).get('tr')
  const text = [parts.transformation, queryTransformation].filter(Boolean).join(':')
  const transformation = text ? parseTransformation(text) : {}
  if (!transformation) return deliveryError(res, 400, `Invalid transformation: ${text}`)
  await sendFile(req, res, ctx, record, transformation, restricted)
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: DeliveryContext,
  record: StoredFile,
  transformation: Transformation,
  restricted: boolean,
): Promise<void> {
  const key = transformationKey(transformation)
  let path = ctx.store.blobPath(record)
  let mime = record.mime
  if (key && record.fileType === 'image') {
    const target = join(ctx.cacheDir, `${record.versionId}_${key}`)
    const rendered = await renderImage(path, target, transformation)
    if (rendered) {
      path = target
      mime = rendered
    }
  }
  const etag = `"${record.versionId}${key && path !== ctx.store.blobPath(record) ? `-${key}` : ''}"`
  res.setHeader('ETag', etag)
  res.setHeader('Last-Modified', new Date(record.updatedAt ?? Date.now()).toUTCString())
  res.setHeader('Cache-Control', restricted ? 'private, no-cache' : 'public, no-cache')
  res.setHeader('Accept-Ranges', 'bytes')
  // Uploaded files come from strangers: never let one run as a page (an SVG with a script, say).
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
  if (req.headers['if-none-match']?.split(/\s*,\s*/).includes(etag)) {
    res.statusCode = 304
    res.end()
    return
  }

  let size: number
  try {
    size = (await stat(path)).size
  } catch {
    return deliveryError(res, 500, 'The stored bytes of this file are missing from the data folder.')
  }
  res.setHeader('Content-Type', mime)
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
    const stream = createReadStream(path, { start, end })
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
