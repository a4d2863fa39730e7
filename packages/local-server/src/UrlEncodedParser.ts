import { Readable, Writable } from 'node:stream'

/** What `UrlEncodedParser` takes. */
export interface UrlEncodedParserOptions {
  /** Whether a field's value streams (a `'file'` event) instead of being collected into a string. */
  streams(name: string): boolean
  /**
   * Most bytes the collected fields' names and values may hold once percent-decoded (the
   * protocol counts what a field holds, not how it was sent, as multipart does; a streamed
   * field's name is not counted); past it `'limit'` fires once and the rest of the body is ignored.
   */
  maxFieldsSize: number
  /** Most collected fields; later ones are counted against `maxFieldsSize` but dropped. @default 200 */
  maxFields?: number
  /** The streams' buffer size in bytes. @default 256 KiB */
  highWaterMark?: number
}

const AMPERSAND = 0x26
const EQUALS = 0x3d
const PERCENT = 0x25
const PLUS = 0x2b

const hexValue = (byte: number): number => {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30
  const lower = byte | 0x20
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1
}

/**
 * Percent-decoding (with `+` as space) across chunk boundaries: a `%` or `%X` at the end of one
 * chunk is completed by the next. A `%` that is not followed by two hex digits stays as it is, as
 * in browsers' `URLSearchParams`.
 */
class PercentDecoder {
  private pending: number[] = []

  decode(bytes: Buffer): Buffer {
    if (this.pending.length === 0 && !bytes.includes(PERCENT) && !bytes.includes(PLUS)) return bytes
    const out = Buffer.allocUnsafe(bytes.length + this.pending.length)
    let length = 0
    const input = this.pending.length ? Buffer.concat([Buffer.from(this.pending), bytes]) : bytes
    this.pending = []
    for (let index = 0; index < input.length; index++) {
      const byte = input[index] as number
      if (byte === PLUS) out[length++] = 0x20
      else if (byte !== PERCENT) out[length++] = byte
      else if (index + 2 >= input.length) {
        // Not enough bytes left to tell: wait for the next chunk.
        this.pending = [...input.subarray(index)]
        break
      } else {
        const high = hexValue(input[index + 1] as number)
        const low = hexValue(input[index + 2] as number)
        if (high < 0 || low < 0) out[length++] = byte
        else {
          out[length++] = high * 16 + low
          index += 2
        }
      }
    }
    return out.subarray(0, length)
  }

  /** Whatever is left at the end of a name or value, as it was sent. */
  end(): Buffer {
    const rest = Buffer.from(this.pending)
    this.pending = []
    return rest
  }
}

type State = 'name' | 'value' | 'stream' | 'ignore'

/** How far a name being read may go past the cap before it is known whether it streams (uncounted). */
const STREAMED_NAME_SLACK = 64

/**
 * A streaming `application/x-www-form-urlencoded` parser (a `Writable` to pipe the body into) that
 * never holds more than `maxFieldsSize` bytes of fields. busboy's holds each value whole up to its
 * per-field limit, and any number of fields, so a body of many large fields grew memory with its
 * size. Here the fields named by `streams` (the upload's `file`, which may be tens of MB of base64)
 * come out as `Readable` streams of their decoded bytes with backpressure; every other field is
 * collected and counted, and the moment the count passes `maxFieldsSize` the parser emits
 * `'limit'` and ignores the rest, so the caller can refuse at once.
 *
 * Events: `'field'` (name, value), `'file'` (name, stream), `'limit'`, and `'finish'` after the
 * last field (a stream still being read ends with its own `'end'`).
 */
export class UrlEncodedParser extends Writable {
  private readonly options: Required<UrlEncodedParserOptions>
  private readonly decoder = new PercentDecoder()
  private state: State = 'name'
  private name: Buffer[] = []
  private value: Buffer[] = []
  /** The name of the field whose value is being collected. */
  private pendingName = ''
  private fieldBytes = 0
  /** Decoded bytes of the name being read, counted once it is known not to stream. */
  private nameBytes = 0
  private fields = 0
  private stream: Readable | undefined
  /** The rest of a chunk held back while the current stream's reader catches up. */
  private resume: (() => void) | undefined

  constructor(options: UrlEncodedParserOptions) {
    super()
    this.options = { maxFields: 200, highWaterMark: 256 * 1024, ...options }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.parse(chunk, 0, callback)
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.state === 'name') this.endName(false)
    else if (this.state === 'value') this.endValue()
    else if (this.state === 'stream') this.endStream()
    this.state = 'ignore'
    callback()
  }

  /** Counts collected bytes; `false` (and `'limit'`, once) when they pass the cap. */
  private spend(bytes: number): boolean {
    this.fieldBytes += bytes
    if (this.fieldBytes <= this.options.maxFieldsSize) return true
    this.state = 'ignore'
    this.name = []
    this.value = []
    this.emit('limit')
    return false
  }

  private parse(chunk: Buffer, start: number, callback: (error?: Error | null) => void): void {
    let index = start
    while (index < chunk.length) {
      if (this.state === 'ignore') break
      if (this.state === 'stream') {
        const end = chunk.indexOf(AMPERSAND, index)
        const more = this.push(chunk.subarray(index, end < 0 ? chunk.length : end))
        if (end >= 0) {
          this.endStream()
          index = end + 1
          continue
        }
        // The whole rest of the chunk went to the stream. A full reader holds the body (the next
        // write) until it reads again.
        if (!more) {
          this.resume = () => callback()
          return
        }
        break
      }
      const separator = this.state === 'name' ? nextSeparator(chunk, index) : chunk.indexOf(AMPERSAND, index)
      const stop = separator < 0 ? chunk.length : separator
      const decoded = this.decoder.decode(chunk.subarray(index, stop))
      if (this.state === 'value') {
        if (!this.spend(decoded.length)) break
      } else {
        // A name is counted once it is known not to stream; meanwhile it may run past the cap
        // only by a streamed name's length, so memory stays bounded.
        this.nameBytes += decoded.length
        if (this.fieldBytes + this.nameBytes > this.options.maxFieldsSize + STREAMED_NAME_SLACK) {
          this.spend(this.nameBytes)
          break
        }
      }
      // A copy: a slice would keep the whole chunk alive.
      if (decoded.length) (this.state === 'name' ? this.name : this.value).push(Buffer.from(decoded))
      if (separator < 0) break
      index = separator + 1
      if (this.state === 'value') this.endValue()
      else this.endName(chunk[separator] === EQUALS)
    }
    callback()
  }

  /** Pushes decoded stream bytes; `false` when the reader's buffer is full. */
  private push(bytes: Buffer): boolean {
    const decoded = this.decoder.decode(bytes)
    if (!this.stream || decoded.length === 0) return true
    return this.stream.push(decoded)
  }

  private endName(hasValue: boolean): void {
    const rest = this.decoder.end()
    const name = Buffer.concat([...this.name, rest]).toString('utf8')
    this.name = []
    const nameBytes = this.nameBytes + rest.length
    this.nameBytes = 0
    // A streamed field (the upload's `file`) is not a counted field, its name neither.
    if (!this.options.streams(name) && !this.spend(nameBytes)) return
    if (!hasValue) {
      // `a&b`: a field without `=` has an empty value.
      if (name) this.collect(name, '')
      return
    }
    if (!this.options.streams(name)) {
      this.state = 'value'
      this.pendingName = name
      return
    }
    this.state = 'stream'
    const stream = new Readable({
      highWaterMark: this.options.highWaterMark,
      read: () => {
        const resume = this.resume
        this.resume = undefined
        resume?.()
      },
    })
    this.stream = stream
    this.emit('file', name, stream)
  }

  private endValue(): void {
    const rest = this.decoder.end()
    if (!this.spend(rest.length)) return
    const value = Buffer.concat([...this.value, rest]).toString('utf8')
    this.value = []
    this.state = 'name'
    this.collect(this.pendingName, value)
  }

  private endStream(): void {
    const rest = this.decoder.end()
    if (rest.length) this.stream?.push(rest)
    this.stream?.push(null)
    this.stream = undefined
    this.state = 'name'
  }

  private collect(name: string, value: string): void {
    if (++this.fields > this.options.maxFields) return
    this.emit('field', name, value)
  }
}

function nextSeparator(chunk: Buffer, from: number): number {
  for (let index = from; index < chunk.length; index++) {
    const byte = chunk[index]
    if (byte === EQUALS || byte === AMPERSAND) return index
  }
  return -1
}
