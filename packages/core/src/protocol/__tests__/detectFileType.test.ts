import { describe, expect, it } from 'vitest'
import { detectFileType } from '../uploadResponse'

const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0))
const u16be = (n: number) => [n >> 8, n & 0xff]
const u16le = (n: number) => [n & 0xff, n >> 8]
const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
const u32le = (n: number) => {
  const view = new DataView(new ArrayBuffer(4))
  view.setUint32(0, n, true)
  return [...new Uint8Array(view.buffer)]
}
const u24le = (n: number) => u32le(n).slice(0, 3)
const bytes = (...parts: (number | number[])[]) => new Uint8Array(parts.flat())

const png = (width: number, height: number) =>
  bytes(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    u32be(13),
    ascii('IHDR'),
    u32be(width),
    u32be(height),
    [8, 6, 0, 0, 0],
  )

/** A JPEG: SOI, an APP0 (JFIF) segment, optional extra segments, then a frame header. */
const jpeg = (width: number, height: number, { sof = 0xc0, before = [] as number[] } = {}) =>
  bytes(
    [0xff, 0xd8],
    [0xff, 0xe0],
    u16be(16),
    ascii('JFIF\0'),
    [1, 1, 0, 0, 1, 0, 1, 0, 0],
    before,
    [0xff, sof],
    u16be(17),
    [8],
    u16be(height),
    u16be(width),
    [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
  )

const riff = (chunk: string, data: number[]) =>
  bytes(ascii('RIFF'), u32le(4 + 8 + data.length), ascii('WEBP'), ascii(chunk), u32le(data.length), data)

describe('detectFileType', () => {
  it('reads PNG dimensions from IHDR', () => {
    expect(detectFileType(png(200, 300))).toEqual({
      mime: 'image/png',
      fileType: 'image',
      width: 200,
      height: 300,
    })
  })

  it('reads PNG dimensions beyond 2^31 without going negative', () => {
    expect(detectFileType(png(0x80000001, 1))).toMatchObject({ width: 0x80000001 })
  })

  it('reads baseline JPEG dimensions from SOF0', () => {
    expect(detectFileType(jpeg(200, 300))).toEqual({
      mime: 'image/jpeg',
      fileType: 'image',
      width: 200,
      height: 300,
    })
  })

  it('reads progressive JPEG dimensions from SOF2', () => {
    expect(detectFileType(jpeg(640, 480, { sof: 0xc2 }))).toMatchObject({ width: 640, height: 480 })
  })

  it('skips DHT, which shares the SOF marker range, and fill bytes before a marker', () => {
    const dht = [0xff, 0xc4, ...u16be(5), 0, 0, 0]
    expect(detectFileType(jpeg(10, 20, { before: [...dht, 0xff, 0xff] }))).toMatchObject({
      width: 10,
      height: 20,
    })
  })

  it('reports a JPEG without a frame header as an image of unknown size', () => {
    expect(detectFileType(bytes([0xff, 0xd8, 0xff, 0xda], u16be(2)))).toEqual({
      mime: 'image/jpeg',
      fileType: 'image',
    })
  })

  it('reads GIF dimensions from the logical screen', () => {
    expect(detectFileType(bytes(ascii('GIF89a'), u16le(320), u16le(240), [0, 0, 0]))).toEqual({
      mime: 'image/gif',
      fileType: 'image',
      width: 320,
      height: 240,
    })
    expect(detectFileType(bytes(ascii('GIF87a'), u16le(1), u16le(2)))).toMatchObject({ width: 1, height: 2 })
  })

  it('reads lossy WebP (VP8) dimensions, ignoring the scale bits', () => {
    const data = [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...u16le(400 | 0xc000), ...u16le(250 | 0x4000), 0, 0]
    expect(detectFileType(riff('VP8 ', data))).toEqual({
      mime: 'image/webp',
      fileType: 'image',
      width: 400,
      height: 250,
    })
  })

  it('reads lossless WebP (VP8L) dimensions', () => {
    const packed = (400 - 1) | ((250 - 1) << 14) | (1 << 28)
    expect(detectFileType(riff('VP8L', [0x2f, ...u32le(packed), 0]))).toMatchObject({
      width: 400,
      height: 250,
    })
  })

  it('reads extended WebP (VP8X) canvas dimensions', () => {
    const data = [0x10, 0, 0, 0, ...u24le(5000 - 1), ...u24le(3000 - 1)]
    expect(detectFileType(riff('VP8X', data))).toMatchObject({
      mime: 'image/webp',
      width: 5000,
      height: 3000,
    })
  })

  it('reads AVIF dimensions from the ispe property', () => {
    const ftyp = bytes(u32be(20), ascii('ftypavif'), u32be(0), ascii('mif1avif'))
    const ispe = bytes(u32be(20), ascii('ispe'), u32be(0), u32be(1920), u32be(1080))
    expect(detectFileType(new Uint8Array([...ftyp, ...ispe]))).toEqual({
      mime: 'image/avif',
      fileType: 'image',
      width: 1920,
      height: 1080,
    })
  })

  it('types MP4 and QuickTime as non-image video', () => {
    expect(detectFileType(bytes(u32be(20), ascii('ftypisom'), u32be(0)))).toEqual({
      mime: 'video/mp4',
      fileType: 'non-image',
    })
    expect(detectFileType(bytes(u32be(20), ascii('ftypqt  '), u32be(0)))).toMatchObject({
      mime: 'video/quicktime',
    })
  })

  it('reads SVG dimensions from width and height, past an XML declaration and a comment', () => {
    const svg =
      '\uFEFF<?xml version="1.0"?>\n<!-- drawn by hand -->\n<svg xmlns="http://www.w3.org/2000/svg" width="120px" height=\'80\'></svg>'
    expect(detectFileType(new TextEncoder().encode(svg))).toEqual({
      mime: 'image/svg+xml',
      fileType: 'image',
      width: 120,
      height: 80,
    })
  })

  it('falls back to the SVG viewBox when width and height are not in pixels', () => {
    const svg = '<svg width="100%" viewBox="0 0 64.4 32"><rect/></svg>'
    expect(detectFileType(new TextEncoder().encode(svg))).toMatchObject({ width: 64, height: 32 })
    expect(detectFileType(new TextEncoder().encode('<svg><path/></svg>'))).toEqual({
      mime: 'image/svg+xml',
      fileType: 'image',
    })
  })

  it('does not take HTML that merely contains an svg for an SVG file', () => {
    expect(
      detectFileType(new TextEncoder().encode('<html><body><svg width="1" height="1"/></body></html>')),
    ).toMatchObject({
      fileType: 'non-image',
    })
  })

  it('types a PDF as a non-image', () => {
    expect(detectFileType(new TextEncoder().encode('%PDF-1.7\n'))).toEqual({
      mime: 'application/pdf',
      fileType: 'non-image',
    })
  })

  it('uses the declared MIME type for unknown bytes, unless it claims an image the bytes did not prove', () => {
    const text = new TextEncoder().encode('just some text')
    expect(detectFileType(text, 'text/plain')).toEqual({ mime: 'text/plain', fileType: 'non-image' })
    expect(detectFileType(text, 'image/png')).toEqual({
      mime: 'application/octet-stream',
      fileType: 'non-image',
    })
    expect(detectFileType(text)).toEqual({ mime: 'application/octet-stream', fileType: 'non-image' })
  })

  it('survives truncated headers, reporting the type without dimensions', () => {
    expect(detectFileType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toEqual({
      mime: 'image/png',
      fileType: 'image',
    })
    expect(detectFileType(bytes(ascii('GIF89a'), [1]))).toEqual({ mime: 'image/gif', fileType: 'image' })
    expect(detectFileType(jpeg(1, 1).subarray(0, 24))).toEqual({ mime: 'image/jpeg', fileType: 'image' })
    expect(detectFileType(riff('VP8 ', [0x30]))).toEqual({ mime: 'image/webp', fileType: 'image' })
    expect(detectFileType(new Uint8Array())).toEqual({
      mime: 'application/octet-stream',
      fileType: 'non-image',
    })
  })
})
