/**
 * The success response of spec section 4, built from the record a server keeps for each stored
 * file, plus the pure helpers that record needs: file ids and file types from magic bytes.
 */
import type { ResponseField, UploadExtension } from './fields'
import { toHex } from './signature'

/** `image` for the formats the kit can read dimensions of (or SVG), `non-image` for the rest. */
export type FileType = 'image' | 'non-image'

/** One AI tag, as ImageKit's auto-tagging extensions report it. */
export interface AITag {
  name: string
  confidence: number
  source: string
}

/** The state of one requested extension, keyed by its name in `extensionStatus`. */
export type ExtensionState = 'success' | 'pending' | 'skipped' | 'failed'

/** What a server keeps for each stored file version; `buildUploadResponse` answers from it. */
export interface StoredFileRecord {
  /** 24 lowercase hex chars (see `newFileId`). */
  fileId: string
  /** The id of this version; equal to `fileId` for version 1. */
  versionId: string
  /** 1 for the first version, one more for each replacement. */
  versionNumber: number
  /** The stored name, unique suffix included. */
  name: string
  /** `/` + folder segments + `/` + name. */
  filePath: string
  size: number
  mime: string
  fileType: FileType
  width?: number
  height?: number
  tags: string[] | null
  /** Normalised `x,y,width,height`, or `null`. */
  customCoordinates: string | null
  isPrivateFile: boolean
  isPublished: boolean
  customMetadata: Record<string, unknown> | null
  description: string | null
  /** The extensions requested with the upload, or `null` when none were. */
  extensions: UploadExtension[] | null
  /** Per extension name; when absent, each requested extension is reported `skipped`. */
  extensionStatus?: Record<string, ExtensionState>
  AITags?: AITag[] | null
  /** Embedded (EXIF, IPTC, XMP) metadata, when the server reads it. @default {} */
  embeddedMetadata?: Record<string, unknown>
  /** Technical metadata; when absent, built from size, mime and dimensions. */
  metadata?: Record<string, unknown>
  /** The custom metadata schema of the fields set on the file. @default {} */
  selectedFieldsSchema?: Record<string, unknown>
  /** ISO 8601 times, for servers that list files. */
  createdAt?: string
  updatedAt?: string
}

/** The success JSON of spec section 4. Keys past `AITags` appear only when asked for. */
export interface UploadResponse {
  fileId: string
  name: string
  size: number
  versionInfo: { id: string; name: string }
  filePath: string
  url: string
  thumbnailUrl?: string
  fileType: FileType
  height?: number
  width?: number
  AITags: AITag[] | null
  tags?: string[] | null
  customCoordinates?: string | null
  isPrivateFile?: boolean
  embeddedMetadata?: Record<string, unknown>
  isPublished?: boolean
  customMetadata?: Record<string, unknown>
  metadata?: Record<string, unknown>
  selectedFieldsSchema?: Record<string, unknown>
  extensionStatus?: Record<string, ExtensionState>
}

/** The named thumbnail transformation of `thumbnailUrl`. */
export const THUMBNAIL_TRANSFORMATION = 'tr:n-ik_ml_thumbnail'

/**
 * Builds the success response for a stored file: the default fields always, the optional ones only
 * when named in `responseFields`, `extensionStatus` only when extensions were requested.
 * `urlEndpoint` may end with `/`; it is dropped so `url` never holds `//` after the host.
 */
export function buildUploadResponse(
  record: StoredFileRecord,
  responseFields: readonly ResponseField[],
  urlEndpoint: string,
): UploadResponse {
  const endpoint = urlEndpoint.replace(/\/+$/, '')
  const isImage = record.fileType === 'image'
  const response: UploadResponse = {
    fileId: record.fileId,
    name: record.name,
    size: record.size,
    versionInfo: { id: record.versionId, name: `Version ${record.versionNumber}` },
    filePath: record.filePath,
    url: endpoint + record.filePath,
    ...(isImage && { thumbnailUrl: `${endpoint}/${THUMBNAIL_TRANSFORMATION}${record.filePath}` }),
    fileType: record.fileType,
    // An SVG without width/height attributes is an image without known dimensions.
    ...(isImage && record.height !== undefined && { height: record.height }),
    ...(isImage && record.width !== undefined && { width: record.width }),
    AITags: record.AITags?.length ? record.AITags : null,
  }
  const asked = new Set(responseFields)
  if (asked.has('tags')) response.tags = record.tags?.length ? record.tags : null
  if (asked.has('customCoordinates')) response.customCoordinates = record.customCoordinates
  if (asked.has('isPrivateFile')) response.isPrivateFile = record.isPrivateFile
  if (asked.has('embeddedMetadata')) response.embeddedMetadata = record.embeddedMetadata ?? {}
  if (asked.has('isPublished')) response.isPublished = record.isPublished
  if (asked.has('customMetadata')) response.customMetadata = record.customMetadata ?? {}
  if (asked.has('metadata')) response.metadata = record.metadata ?? basicMetadata(record)
  if (asked.has('selectedFieldsSchema')) response.selectedFieldsSchema = record.selectedFieldsSchema ?? {}
  if (record.extensions)
    response.extensionStatus =
      record.extensionStatus ?? Object.fromEntries(record.extensions.map(({ name }) => [name, 'skipped']))
  return response
}

/** The technical metadata a server knows without decoding the file. */
function basicMetadata(record: StoredFileRecord): Record<string, unknown> {
  const format = record.mime.split('/')[1]?.replace(/\+.*$/, '') ?? ''
  return {
    ...(record.height !== undefined && { height: record.height }),
    ...(record.width !== undefined && { width: record.width }),
    size: record.size,
    format: format === 'jpeg' ? 'jpg' : format,
  }
}

/** A new file id: 24 lowercase hex chars from WebCrypto randomness (the shape of ImageKit's ids). */
export function newFileId(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(12)))
}

/** What `detectFileType` learns from a file's first bytes. */
export interface DetectedFileType {
  mime: string
  fileType: FileType
  width?: number
  height?: number
}

/** Reads big- or little-endian unsigned integers, `undefined` past the end of a truncated file. */
class ByteReader {
  constructor(private readonly bytes: Uint8Array) {}
  u8(at: number): number | undefined {
    return this.bytes[at]
  }
  u16be(at: number): number | undefined {
    const [a, b] = [this.bytes[at], this.bytes[at + 1]]
    return a === undefined || b === undefined ? undefined : (a << 8) | b
  }
  u16le(at: number): number | undefined {
    const [a, b] = [this.bytes[at], this.bytes[at + 1]]
    return a === undefined || b === undefined ? undefined : a | (b << 8)
  }
  u24le(at: number): number | undefined {
    const [low, high] = [this.u16le(at), this.bytes[at + 2]]
    return low === undefined || high === undefined ? undefined : low | (high << 16)
  }
  u32be(at: number): number | undefined {
    const [high, low] = [this.u16be(at), this.u16be(at + 2)]
    // Multiplying, not shifting: `<< 16` would turn a width over 2^31 negative.
    return high === undefined || low === undefined ? undefined : high * 65536 + low
  }
  ascii(at: number, length: number): string {
    return String.fromCharCode(...this.bytes.subarray(at, at + length))
  }
}

type Dimensions = { width?: number; height?: number }

const dimensions = (width: number | undefined, height: number | undefined): Dimensions =>
  width === undefined || height === undefined ? {} : { width, height }

/** Walks JPEG segments to the first SOF (start of frame) marker, which holds the dimensions. */
function jpegDimensions(read: ByteReader, length: number): Dimensions {
  let at = 2
  while (at + 3 < length) {
    if (read.u8(at) !== 0xff) return {}
    const marker = read.u8(at + 1) ?? 0
    // Fill bytes: any number of 0xFF may precede a marker.
    if (marker === 0xff) {
      at++
      continue
    }
    // Standalone markers (TEM, RSTn) carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2
      continue
    }
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return dimensions(read.u16be(at + 7), read.u16be(at + 5))
    // Start of scan (or end of image) before any frame: no dimensions to find.
    if (marker === 0xda || marker === 0xd9) return {}
    const segmentLength = read.u16be(at + 2)
    if (segmentLength === undefined || segmentLength < 2) return {}
    at += 2 + segmentLength
  }
  return {}
}

function webpDimensions(read: ByteReader): Dimensions {
  const chunk = read.ascii(12, 4)
  if (chunk === 'VP8 ') {
    // Lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height.
    if (read.u8(23) !== 0x9d || read.u8(24) !== 0x01 || read.u8(25) !== 0x2a) return {}
    const [width, height] = [read.u16le(26), read.u16le(28)]
    return dimensions(
      width === undefined ? width : width & 0x3fff,
      height === undefined ? height : height & 0x3fff,
    )
  }
  if (chunk === 'VP8L') {
    // Lossless: signature 0x2F, then width-1 and height-1 packed in 14 bits each.
    const [b0, b1, b2, b3] = [read.u8(21), read.u8(22), read.u8(23), read.u8(24)]
    if (read.u8(20) !== 0x2f || b0 === undefined || b1 === undefined || b2 === undefined || b3 === undefined)
      return {}
    return { width: 1 + (b0 | ((b1 & 0x3f) << 8)), height: 1 + ((b1 >> 6) | (b2 << 2) | ((b3 & 0x0f) << 10)) }
  }
  if (chunk === 'VP8X') {
    // Extended: canvas width-1 and height-1 as 24-bit little-endian numbers.
    const [width, height] = [read.u24le(24), read.u24le(27)]
    return dimensions(width === undefined ? width : width + 1, height === undefined ? height : height + 1)
  }
  return {}
}

/** How far into a file to look for the root `<svg>` (past an XML prolog, comments, a doctype) or an `ispe` box. */
const SNIFF_BYTES = 4096

/** The major brands of ISO-BMFF files (`ftyp` box) the kit names; other brands are taken as MP4 video. */
const FTYP_BRANDS: Readonly<Record<string, string>> = {
  avif: 'image/avif',
  avis: 'image/avif',
  heic: 'image/heic',
  heix: 'image/heic',
  mif1: 'image/heif',
  msf1: 'image/heif',
  'qt  ': 'video/quicktime',
}

/**
 * AVIF/HEIF: the first `ispe` (image spatial extents) property holds the primary image's size.
 * Scanning for it, instead of walking meta/iprp/ipco, is enough for the files cameras and encoders write.
 */
function heifDimensions(bytes: Uint8Array): Dimensions {
  const read = new ByteReader(bytes)
  const end = Math.min(bytes.length, SNIFF_BYTES) - 4
  for (let at = 4; at < end; at++) {
    // 'ispe', then 4 bytes of version and flags, then width and height.
    if (bytes[at] === 0x69 && read.ascii(at, 4) === 'ispe')
      return dimensions(read.u32be(at + 8), read.u32be(at + 12))
  }
  return {}
}

/** A length attribute of the root `<svg>` as a number of pixels, or `undefined` (`100%`, `10em`...). */
function svgLength(tag: string, name: string): number | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*["']\\s*(\\d+(?:\\.\\d+)?)\\s*(?:px)?\\s*["']`).exec(tag)
  return match ? Math.round(Number(match[1])) : undefined
}

function svgDimensions(tag: string): Dimensions {
  const width = svgLength(tag, 'width')
  const height = svgLength(tag, 'height')
  if (width !== undefined && height !== undefined) return { width, height }
  // No pixel width/height: the viewBox gives the intrinsic size.
  const viewBox =
    /\sviewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+(\d+(?:\.\d+)?)[\s,]+(\d+(?:\.\d+)?)\s*["']/.exec(tag)
  return viewBox ? { width: Math.round(Number(viewBox[1])), height: Math.round(Number(viewBox[2])) } : {}
}

const NON_IMAGE_SIGNATURES: readonly [string, string][] = [
  ['%PDF-', 'application/pdf'],
  ['PK\u0003\u0004', 'application/zip'],
]

/**
 * The MIME type, `image`/`non-image` and, for images, the pixel dimensions of a file from its
 * magic bytes: JPEG (first SOF marker), PNG (IHDR), GIF, WebP (VP8, VP8L, VP8X), AVIF/HEIC (`ispe`)
 * and SVG (root element attributes or viewBox); PDF, ZIP and MP4/QuickTime as non-images. Anything else is a `non-image`, typed as `fallbackMime` when it
 * is given and does not claim to be an image the bytes failed to prove.
 */
export function detectFileType(bytes: Uint8Array, fallbackMime?: string): DetectedFileType {
  const read = new ByteReader(bytes)
  const image = (mime: string, size: Dimensions): DetectedFileType => ({ mime, fileType: 'image', ...size })
  if (read.u8(0) === 0xff && read.u8(1) === 0xd8 && read.u8(2) === 0xff)
    return image('image/jpeg', jpegDimensions(read, bytes.length))
  if (read.ascii(0, 8) === '\x89PNG\r\n\x1a\n')
    return image('image/png', read.ascii(12, 4) === 'IHDR' ? dimensions(read.u32be(16), read.u32be(20)) : {})
  if (/^GIF8[79]a$/.test(read.ascii(0, 6)))
    return image('image/gif', dimensions(read.u16le(6), read.u16le(8)))
  if (read.ascii(0, 4) === 'RIFF' && read.ascii(8, 4) === 'WEBP')
    return image('image/webp', webpDimensions(read))
  if (read.ascii(4, 4) === 'ftyp') {
    const brand = read.ascii(8, 4)
    const mime = FTYP_BRANDS[brand]
    if (mime?.startsWith('image/')) return image(mime, heifDimensions(bytes))
    return { mime: mime ?? 'video/mp4', fileType: 'non-image' }
  }
  for (const [signature, mime] of NON_IMAGE_SIGNATURES)
    if (read.ascii(0, signature.length) === signature) return { mime, fileType: 'non-image' }
  const text = new TextDecoder().decode(bytes.subarray(0, SNIFF_BYTES))
  // The root element must be <svg>: skip a BOM, the XML declaration, comments and a doctype.
  const svg =
    /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE[^>]*>)\s*)*(<svg[\s>][^>]*>?)/i.exec(
      text,
    )
  if (svg?.[1]) return image('image/svg+xml', svgDimensions(svg[1]))
  const mime = fallbackMime && !/^image\//i.test(fallbackMime) ? fallbackMime : 'application/octet-stream'
  return { mime, fileType: 'non-image' }
}
