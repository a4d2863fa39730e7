import { createHmac } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { Busboy, type BusboyInstance } from '@fastify/busboy'
import {
  buildUploadResponse,
  decodeFileField,
  decodeJwt,
  detectFileType,
  FILE_TOO_LARGE,
  FILE_URL_NOT_DOWNLOADED,
  fieldsTooLarge,
  invalidValue,
  isBasicAuth,
  type JudgeContext,
  type JudgedUpload,
  type Judgement,
  judgeUploadFields,
  judgeUploadFile,
  judgeV2UploadFields,
  MALFORMED_BODY,
  MAX_FIELDS,
  mimeTypeOf,
  missingParameter,
  overDeepJsonField,
  tokenUsed,
  tooManyFields,
} from '@ik-upload/core/protocol'
import { DownloadError, downloadUrl } from './downloadUrl'
import { type FileStore, newVersionId, type ReceivedFileFacts } from './FileStore'
import { readImageSize } from './readImageSize'
import { logNotes, sendError, sendJson } from './sendJson'
import { UrlEncodedParser } from './UrlEncodedParser'
import { FileTooLargeError, HEAD_BYTES, writeLimited } from './writeLimited'

/** What the upload endpoints need from the server around them. */
export interface UploadContext {
  store: FileStore
  publicKey: string
  privateKey: string
  /** Per-file limit in bytes. */
  maxFileSize: number
  /** Most bytes the text fields of one request (names and values, `file` aside) may hold in total. */
  maxFieldsSize: number
  /** Download `file` URLs from loopback and private addresses too. */
  allowPrivateUrls: boolean
  /** Milliseconds a `file` URL gets to send its response headers. */
  urlTimeoutMs: number
  /** The delivery base URL the responses' `url`s start with. */
  urlEndpoint: string
}

/** The two upload APIs: v1 (`signature` + `token` + `expire`) and v2 (one JWT `token`). */
export type UploadApiVersion = 'v1' | 'v2'

/** A body busboy cannot parse (bad boundary, cut part headers...): the protocol's `MALFORMED_BODY`. */
export { MALFORMED_BODY }

/** Why a request's work is aborted once it is answered or cut (writers stop on it; no one reads it). */
const REQUEST_OVER = new Error('The upload request is over.')

/** The disk failed under the upload; ours. */
export const STORAGE_FAILED = 'The file could not be stored by the local upload server.'

/**
 * The fields that must have arrived before the `file` part for the request to be judged before
 * its bytes are read. Without them (a client that sends `file` first) the file is streamed to a
 * temp file under the size limit and everything is judged once the body has ended. For v2,
 * every field the JWT's payload names must have arrived too (see `readyToJudge`).
 */
const FIELDS_BEFORE_FILE: Record<UploadApiVersion, readonly string[]> = {
  v1: ['publicKey', 'signature', 'token', 'expire', 'fileName'],
  v2: ['token', 'fileName'],
}

/** Payload keys that are not upload fields: the JWT's own claims, and what never goes in a payload. */
const NOT_SIGNED_FIELDS = new Set(['file', 'token', 'iat', 'exp'])

/**
 * Whether the fields received so far can be judged before the file's bytes are read: for v1 the
 * auth fields and `fileName`; for v2 `token`, `fileName` and every field the JWT's payload names
 * (the judge compares the payload with the fields it is given, so judging before a signed field
 * has arrived would call a valid request a mismatch). A `token` that is not a JWT is judged at
 * once: it is refused whatever follows.
 */
function readyToJudge(version: UploadApiVersion, fields: Readonly<Record<string, string>>): boolean {
  if (!FIELDS_BEFORE_FILE[version].every((field) => fields[field] !== undefined)) return false
  if (version === 'v1') return true
  const payload = decodeJwt(fields.token as string)?.payload
  if (!payload) return true
  return Object.keys(payload).every((key) => NOT_SIGNED_FIELDS.has(key) || Object.hasOwn(fields, key))
}

/**
 * A received `file` part, streamed to a temp file either way: its bytes (a binary part), or its
 * text (base64, a data URI or a URL, from a text part or a urlencoded body), which is read back
 * and decoded only once the request has passed the judge, so an unauthenticated request never
 * makes the server hold a file in memory.
 */
type ReceivedFile =
  /** `held`: the file ended within `HEAD_BYTES`; `head` holds it whole and `temp` was never written. */
  | { kind: 'binary'; temp: string; size: number; head: Uint8Array; mime?: string; held?: true }
  | { kind: 'text'; temp: string }
  /** A file sent before its fields that went over the limit: drained to its end, nothing kept. */
  | { kind: 'tooLarge' }

/** Thrown by the judge's token hook: a JSON field nests too deep (see `overDeepJsonField`). */
class OverDeepJson extends Error {
  constructor(readonly field: string) {
    super(`${field} nests too deep`)
  }
}

/**
 * The most text a `file` text part may hold: the base64 of `maxFileSize` bytes, 5% for line breaks
 * and 1 KiB for a `data:` prefix. Anything longer decodes to more than the limit (or is not
 * base64), so it is refused while streaming instead of being buffered.
 */
const maxFileTextLength = (maxFileSize: number) =>
  Math.ceil((Math.ceil(maxFileSize / 3) * 4 * 105) / 100) + 1024

/**
 * `POST /api/v1/files/upload` and `POST /api/v2/files/upload`: a streaming multipart upload judged
 * with the protocol's own functions, in the spec's check order (section 3).
 *
 * The text fields are judged as soon as the `file` part starts, before any of its bytes are read
 * (the kit's client sends `file` last for exactly this), so a refused request costs no upload.
 * The file then streams to a temp file under the size limit; past it the server stops reading,
 * answers 400 with `Connection: close`, and removes the partial file. Only a complete, accepted
 * file is renamed into storage and recorded, so a cut connection leaves nothing behind.
 *
 * A `file` that comes before the fields it needs (file first) streams under the limit and is
 * judged with everything once the body has ended. Over the limit, it is no longer written but
 * read on to its end and thrown away (a counting sink: memory stays flat, and the request's
 * timeouts bound the time) to reach the fields after it, so the fields are judged in the spec's
 * order first (their error wins; passing the auth checks spends the token) and only then comes
 * the size error, whatever the file's size: the answer the msw handlers give.
 *
 * Resolves when the request is done with: answered, or cut and cleaned up. Never rejects.
 */
export function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: UploadContext,
  version: UploadApiVersion,
): Promise<void> {
  return new Promise<void>((resolveDone) => {
    // No prototype: a field named `constructor` or `__proto__` is a field like any other, not
    // mistaken for one seen before (and never a way to set the object's prototype).
    const fields: Record<string, string> = Object.create(null)
    const temps = new Set<string>()
    const aborter = new AbortController()
    let filePart: Promise<ReceivedFile | undefined> | undefined
    let fieldsAfterFile = false
    let earlyJudgement: Promise<Judgement> | undefined
    let claimedToken: string | undefined
    let settled = false
    let parser: BusboyInstance | UrlEncodedParser | undefined
    /** Bytes of text fields received so far (names and values), against `ctx.maxFieldsSize`. */
    let fieldBytes = 0
    let fieldCount = 0
    /** Text parts still arriving: the file part waits for them before deciding whether to judge. */
    const textParts = new Set<Promise<void>>()
    /** Resolves the text parts still arriving when the request ends early. */
    const textPartsCut = new Set<() => void>()
    aborter.signal.addEventListener('abort', () => {
      for (const cut of textPartsCut) cut()
    })

    const judgeContext: JudgeContext = {
      privateKeyFor: (publicKey) => (publicKey === ctx.publicKey ? ctx.privateKey : undefined),
      isTokenUsed: (token) => token !== claimedToken && ctx.store.isTokenUsed(token),
      markTokenUsed: (token) => void ctx.store.claimToken(token),
      hasBasicAuth: isBasicAuth(req.headers.authorization),
      // Node's own HMAC: synchronous and several times cheaper than WebCrypto's per request.
      hmacSha1Hex: (key, message) => createHmac('sha1', key).update(message).digest('hex'),
    }
    /**
     * The token an early judgement (the fields judged when the file part starts, before the body
     * has ended) found unused but left unspent: a body that then turns out malformed, or over a
     * field limit, is refused without being judged, as the msw handlers refuse it, and spends
     * nothing. The token is spent when an answer that comes after the token check is given: the
     * judge's own refusal, the size error, or the end of a well-formed body (`spendPending`).
     */
    let pendingToken: string | undefined
    /**
     * Judges the fields received so far; `spend: false` (an early judgement) checks the token
     * without spending it (`pendingToken`). The judge calls `claimToken` once the request is
     * authenticated and right before it spends the token: the place to refuse JSON fields nested
     * too deep to store (`overDeepJsonField`), so such a request keeps its token, like one refused
     * for its signature. (Once the protocol's judge checks depth itself, the hook never sees one.)
     */
    const judge = (spend = true): Promise<Judgement> => {
      const snapshot = { ...fields }
      const context: JudgeContext = {
        ...judgeContext,
        // One statement checks and marks. A second judgement of the same request (fields that came
        // after the file) must not find its own token "used before".
        claimToken: (token) => {
          if (token === claimedToken) return true
          const deep = overDeepJsonField(snapshot)
          if (deep) throw new OverDeepJson(deep)
          if (!spend) {
            if (ctx.store.isTokenUsed(token)) return false
            pendingToken = token
            return true
          }
          const claimed = ctx.store.claimToken(token)
          if (claimed) claimedToken = token
          return claimed
        },
      }
      return (version === 'v1' ? judgeUploadFields : judgeV2UploadFields)(snapshot, context).catch(
        (error: unknown): Judgement => {
          if (error instanceof OverDeepJson)
            return { ok: false, status: 400, message: invalidValue(error.field) }
          throw error
        },
      )
    }

    /**
     * Spends the token an early judgement left pending, right before an answer that comes after
     * the token check. `false` (and the used-token answer) when another request with the same
     * token spent it meanwhile: one token, one upload.
     */
    const spendPending = (): boolean => {
      const token = pendingToken
      pendingToken = undefined
      if (token === undefined || token === claimedToken) return true
      if (ctx.store.claimToken(token)) {
        claimedToken = token
        return true
      }
      if (!settled) refuse(400, tokenUsed(token))
      return false
    }

    /** Stops parsing; the unread rest of the body is never read (the socket closes after the answer). */
    const stopReading = () => {
      if (parser) req.unpipe(parser)
      req.pause()
    }
    /** Work that may still write a temp file: the file part's receiver, a URL download. */
    const writers = new Set<Promise<unknown>>()
    /**
     * Ends the request once: stops reading at once when asked, aborts the writers, waits for them
     * and removes every temp file, and only then answers. So a client that gets its answer never
     * finds a partial file behind it, and a refusal costs no more reading than it already had.
     */
    const finish = (answer: () => void, stop: boolean) => {
      if (settled) return
      settled = true
      if (stop) stopReading()
      // A reason made once: the default one is a new DOMException per request.
      aborter.abort(REQUEST_OVER)
      void Promise.allSettled([...writers])
        .then(() => Promise.all([...temps].map((temp) => ctx.store.discardTemp(temp))))
        .then(() => {
          try {
            answer()
          } catch {
            // Building the answer failed (a bug): one 500, never an unhandled rejection.
            sendError(res, 500, STORAGE_FAILED, !req.complete)
          }
          resolveDone()
        })
    }
    /** Answers with an error; `bodyUnread` when the body was not read to its end. */
    const refuse = (status: number, message: string, bodyUnread = !req.complete) =>
      finish(() => sendError(res, status, message, bodyUnread), bodyUnread)

    /**
     * Counts text-field bytes as they arrive; past `ctx.maxFieldsSize` refuses at once (before any
     * judgement: the token stays unspent) and returns `false`.
     */
    const spendFieldBytes = (bytes: number): boolean => {
      fieldBytes += bytes
      if (fieldBytes <= ctx.maxFieldsSize) return true
      if (!settled) refuse(400, fieldsTooLarge(ctx.maxFieldsSize))
      return false
    }

    // A cut connection (or one the server timed out): nothing to answer, only temp files to remove.
    const onGone = () => {
      if (!req.complete) finish(() => {}, true)
    }
    req.once('close', onGone)
    req.on('error', onGone)
    // The body may be complete while a URL is still downloading: a client gone then aborts it too.
    // A body that arrived whole was judged: a token its fields passed is spent, answer or not.
    res.once('close', () => {
      if (res.writableFinished) return
      if (req.complete && !settled) spendPending()
      finish(() => {}, true)
    })

    /**
     * Receives the `file` part into a temp file: its bytes, or its text (`textFile`) under the
     * text limit. `drainPastLimit` (a file sent before its fields were judged): past the limit the
     * part is read on to its end and thrown away, so the fields after it can be judged; it then
     * resolves `tooLarge`. Without it (the fields are judged already) the limit refuses at once,
     * reading no further.
     */
    const receive = (
      part: Readable,
      textFile: boolean,
      mime: string,
      drainPastLimit: boolean,
    ): Promise<ReceivedFile | undefined> => {
      const temp = ctx.store.tempPath()
      temps.add(temp)
      const limit = textFile ? maxFileTextLength(ctx.maxFileSize) : ctx.maxFileSize
      // A binary file that ends within HEAD_BYTES stays in memory, to be written once, into
      // files/, if it is accepted. Only when the body may be that small: a longer one opens its
      // temp file at once, so a large upload never waits for the open.
      const mayHold = !textFile && !(Number(req.headers['content-length']) > 2 * HEAD_BYTES)
      return writeLimited(part, temp, limit, aborter.signal, mayHold).then(
        (written): ReceivedFile => {
          return textFile
            ? { kind: 'text', temp }
            : { kind: 'binary', temp, ...written, mime: mimeTypeOf(mime) }
        },
        (error: unknown) => {
          // writeLimited has removed the partial file already.
          temps.delete(temp)
          if (error instanceof FileTooLargeError) {
            if (drainPastLimit && !settled) return drain(part)
            if (!settled && spendPending()) refuse(400, FILE_TOO_LARGE)
          } else if (!settled) refuse(500, STORAGE_FAILED)
          return undefined
        },
      )
    }

    /**
     * Reads the rest of an over-limit part into nothing (no chunk is kept), so the parser reaches
     * the fields after it; resolves `tooLarge` at the part's end.
     */
    const drain = (part: Readable): Promise<ReceivedFile | undefined> =>
      new Promise((resolve) => {
        const onData = () => {}
        const onEnd = () => {
          stop()
          resolve({ kind: 'tooLarge' })
        }
        const onGone = () => {
          stop()
          resolve(undefined)
        }
        const stop = () => {
          part.off('data', onData)
          part.off('end', onEnd)
          part.off('error', onGone)
          aborter.signal.removeEventListener('abort', onGone)
        }
        // The over-limit chunk may have been the part's last: its 'end' may have come while
        // writeLimited was removing the partial file, with no one listening.
        if (part.readableEnded) return resolve({ kind: 'tooLarge' })
        // Or the request may have ended meanwhile (a cut, a malformed body): nothing to wait for.
        if (aborter.signal.aborted || part.destroyed || part.errored) return resolve(undefined)
        part.on('data', onData)
        part.once('end', onEnd)
        part.once('error', onGone)
        // A part cut off by a refusal never ends: stop waiting for it.
        aborter.signal.addEventListener('abort', onGone, { once: true })
        part.resume()
      })

    /**
     * Collects a text field's value, counting its bytes (and its name's) against the request's
     * cap as they arrive; one past the protocol's `MAX_FIELDS` refuses the request at once (never
     * dropped: a dropped field would be answered as missing).
     */
    const collectText = (name: string, part: Readable): Promise<void> =>
      new Promise<void>((settle) => {
        const resolve = () => {
          textPartsCut.delete(resolve)
          settle()
        }
        const chunks: Buffer[] = []
        const stop = () => {
          part.off('data', onData)
          part.off('end', onEnd)
          part.pause()
          resolve()
        }
        const onData = (chunk: Buffer) => {
          if (!spendFieldBytes(chunk.length)) {
            chunks.length = 0
            return stop()
          }
          // A copy: the parser's chunk may be a slice of a far larger body chunk, kept alive by it.
          chunks.push(Buffer.from(chunk))
        }
        // Whether the file part had begun when this field did (its 'end' may come after).
        const afterFile = filePart !== undefined
        const onEnd = () => {
          if (!settled) onField(name, Buffer.concat(chunks).toString('utf8'), afterFile)
          resolve()
        }
        if (++fieldCount > MAX_FIELDS) {
          if (!settled) refuse(400, tooManyFields(MAX_FIELDS))
          return stop()
        }
        if (!spendFieldBytes(Buffer.byteLength(name))) return stop()
        part.on('data', onData)
        part.once('end', onEnd)
        part.once('error', () => resolve())
        // A part cut off by a refusal never ends: stop waiting for it (one abort listener for all).
        textPartsCut.add(resolve)
        part.resume()
      })

    /** The `file` part: judged first when its fields are in, else received and judged at the end. */
    const onFilePart = (part: Readable, textFile: boolean, mime: string) => {
      if (!readyToJudge(version, fields)) {
        filePart = receive(part, textFile, mime, true)
        writers.add(filePart)
        return
      }
      // The part stays unread (the parser's backpressure holds the body) until the fields are judged.
      earlyJudgement = judge(false)
      filePart = earlyJudgement.then(
        (judgement) => {
          if (settled) return undefined
          if (!judgement.ok) {
            // Refused after the token check (a bad option): the token is spent by this answer.
            if (spendPending()) refuse(judgement.status, judgement.message)
            return undefined
          }
          return receive(part, textFile, mime, false)
        },
        () => {
          refuse(500, STORAGE_FAILED)
          return undefined
        },
      )
      writers.add(filePart)
    }

    /** Every multipart part arrives as a stream, so no text field is ever held beyond the cap. */
    const onPart = (
      name: string | undefined,
      part: Readable,
      filename: string | undefined,
      _encoding: string,
      mime: string,
    ) => {
      // A malformed body can make busboy fail a part stream nobody reads yet; unheard, that error
      // would kill the process. The parser's own 'error' answers the request.
      part.on('error', () => {})
      // A part without a name (busboy gives it when the disposition has none) is no field: the
      // protocol's parser skips it too (`parseFormBody`).
      if (settled || name === undefined) {
        part.resume()
        return
      }
      if (name === 'file' && !filePart) {
        // Claimed now, so a second `file` part is drained; decided once the text parts before it
        // have ended (a part's 'end' can come after the next part has begun).
        const pending = [...textParts]
        filePart = Promise.all(pending).then(() => {
          if (settled) return undefined
          filePart = undefined
          onFilePart(part, filename === undefined, mime)
          return filePart
        })
        return
      }
      // Another file part (only the first `file` counts) or a second `file`: drained unread.
      if (filename !== undefined || name === 'file') {
        part.resume()
        return
      }
      const collected = collectText(name, part)
      textParts.add(collected)
      void collected.then(() => textParts.delete(collected))
    }

    const onField = (name: string, value: string, afterFile = filePart !== undefined) => {
      if (afterFile) fieldsAfterFile = true
      // The first value of a repeated field wins, as in the judge's view of a form.
      if (fields[name] !== undefined) return
      fields[name] = value
    }

    const complete = async (bodyUnread: boolean) => {
      await Promise.all([...textParts])
      const received = await filePart
      if (settled) return
      const judgement = earlyJudgement && !fieldsAfterFile ? await earlyJudgement : await judge()
      if (settled) return
      // The body is whole and well formed: an early judgement's token is spent now, or, for an
      // accepted binary file, in the commit's own transaction (one database write per upload);
      // every refusal on the way there spends it first (`refuseSpent`).
      if (!(judgement.ok && received?.kind === 'binary') && !spendPending()) return
      if (!judgement.ok) return refuse(judgement.status, judgement.message, bodyUnread)
      if (!received) return refuse(400, missingParameter('file'), bodyUnread)
      if (received.kind === 'tooLarge') return refuse(400, FILE_TOO_LARGE, bodyUnread)
      const file = await materialize(received)
      if (!file || settled) return
      await store(judgement.upload, file)
    }

    /** The file as a complete temp file of its bytes: a binary part already is; text is decoded or downloaded. */
    const materialize = async (
      received: ReceivedFile,
    ): Promise<{ temp: string; size: number; head: Uint8Array; mime?: string; held?: true } | undefined> => {
      if (received.kind === 'binary') return received
      if (received.kind === 'tooLarge') return void refuse(400, FILE_TOO_LARGE)
      // At most `maxFileTextLength` bytes, read only now that the request is authenticated.
      const text = await readFile(received.temp, 'utf8')
      await ctx.store.discardTemp(received.temp)
      temps.delete(received.temp)
      if (settled) return
      if (!text.trim()) return void refuse(400, missingParameter('file'))
      const decoded = decodeFileField(text)
      if (!decoded) return void refuse(400, invalidValue('file'))
      const temp = ctx.store.tempPath()
      temps.add(temp)
      if (decoded.kind === 'bytes') {
        const { bytes, mime } = decoded
        if (bytes.length > ctx.maxFileSize) return void refuse(400, FILE_TOO_LARGE)
        try {
          await writeFile(temp, bytes, { flag: 'wx' })
        } catch {
          return void refuse(500, STORAGE_FAILED)
        }
        return { temp, size: bytes.length, head: bytes.subarray(0, HEAD_BYTES), ...(mime && { mime }) }
      }
      try {
        const download = downloadUrl(decoded.url, {
          path: temp,
          limit: ctx.maxFileSize,
          timeoutMs: ctx.urlTimeoutMs,
          allowPrivate: ctx.allowPrivateUrls,
          signal: aborter.signal,
        })
        writers.add(download)
        const downloaded = await download
        const mime = mimeTypeOf(downloaded.contentType)
        return { temp, size: downloaded.size, head: downloaded.head, ...(mime && { mime }) }
      } catch (error) {
        temps.delete(temp)
        if (error instanceof FileTooLargeError) return void refuse(400, FILE_TOO_LARGE)
        // The reason goes to the server's log only: telling the client which internal names
        // resolve where would help it map the network the refusal protects.
        logNotes.set(
          res,
          error instanceof DownloadError || error instanceof Error ? error.message : 'download failed',
        )
        return void refuse(400, FILE_URL_NOT_DOWNLOADED)
      }
    }

    /**
     * Runs the file's rules, moves the bytes into storage and records them; answers 200. The bytes
     * are renamed into `files/` before the record is written (a record never points at missing
     * bytes); any failure between the two removes the blob, and a blob left by a crash there has
     * no record and is reclaimed at the next start (`FileStore`).
     */
    const store = async (
      upload: JudgedUpload,
      file: { temp: string; size: number; head: Uint8Array; mime?: string; held?: true },
    ) => {
      const detected = detectFileType(file.head, file.mime)
      const versionId = newVersionId()
      let blob: string
      try {
        // A file held in memory is written once, straight into files/.
        blob = file.held
          ? await ctx.store.adoptBytes(file.head, versionId)
          : await ctx.store.adoptTemp(file.temp, versionId)
        temps.delete(file.temp)
      } catch {
        return refuseSpent(500, STORAGE_FAILED)
      }
      let committed = false
      try {
        const size =
          detected.fileType === 'image' && detected.width === undefined
            ? await readImageSize(ctx.store.blobPath({ blob }))
            : detected
        const facts: ReceivedFileFacts = {
          size: file.size,
          mime: detected.mime,
          fileType: detected.fileType,
          ...(size?.width !== undefined &&
            size.height !== undefined && { width: size.width, height: size.height }),
        }
        // The placement is judged again if a concurrent upload took the path between the judgement
        // and the commit; the protocol's rules then give the right answer (a new suffix, a
        // replacement, or FILE_EXISTS).
        for (let attempt = 0; attempt < 5 && !settled; attempt++) {
          const placement = await judgeUploadFile(
            upload,
            { size: file.size, mime: facts.mime },
            { maxFileSize: ctx.maxFileSize, fileExists: (filePath) => ctx.store.fileExists(filePath) },
          )
          if (settled) return
          if (!placement.ok) return refuseSpent(placement.status, placement.message)
          // A token an early judgement left pending is claimed by the commit itself.
          const token = pendingToken !== claimedToken ? pendingToken : undefined
          const result = ctx.store.commit({ upload, ...placement, versionId, blob, facts, token })
          if ('tokenUsed' in result) {
            // Another request with the same token won: one token, one upload.
            pendingToken = undefined
            return refuse(400, tokenUsed(token as string))
          }
          if (token !== undefined) {
            pendingToken = undefined
            claimedToken = token
          }
          if (result.ok) {
            committed = true
            return finish(
              () =>
                sendJson(
                  res,
                  200,
                  buildUploadResponse(result.record, upload.responseFields, ctx.urlEndpoint),
                ),
              false,
            )
          }
        }
        refuseSpent(500, STORAGE_FAILED)
      } catch {
        // A record that cannot be written (a closed database, a value it cannot serialise).
        refuseSpent(500, STORAGE_FAILED)
      } finally {
        if (!committed) await ctx.store.discardBlob(blob)
      }
    }

    /** Refuses after the token check: spends a token still pending first (see `complete`). */
    const refuseSpent = (status: number, message: string) => {
      if (!settled && spendPending()) refuse(status, message)
    }

    const run = (bodyUnread: boolean) => complete(bodyUnread).catch(() => refuse(500, STORAGE_FAILED))

    // The body's type read as the protocol reads it (`parseFormBody`): the bare type decides.
    const bodyType = mimeTypeOf(req.headers['content-type'])
    if (bodyType === 'application/x-www-form-urlencoded') {
      // A urlencoded body has no parts: its `file` (base64, data URI or URL) arrives as a field,
      // streamed like a text part.
      const urlencoded = new UrlEncodedParser({
        streams: (name) => name === 'file',
        maxFieldsSize: ctx.maxFieldsSize,
        // One more than kept, so the field past the limit is seen and refused, never dropped.
        maxFields: MAX_FIELDS + 1,
        highWaterMark: 256 * 1024,
      })
      parser = urlencoded
      urlencoded.on('field', (name: string, value: string) => {
        if (settled) return
        // A `file` without `=` comes as a field; like any `file`, it is not a counted text field.
        if (name !== 'file' && ++fieldCount > MAX_FIELDS) return refuse(400, tooManyFields(MAX_FIELDS))
        onField(name, value)
      })
      urlencoded.on('file', (name: string, stream: Readable) =>
        onPart(name, stream, undefined, '', 'text/plain'),
      )
      urlencoded.on('limit', () => {
        if (!settled) refuse(400, fieldsTooLarge(ctx.maxFieldsSize))
      })
      urlencoded.on('finish', () => void run(false))
      req.pipe(urlencoded)
      return
    }
    // Neither multipart nor urlencoded: judged as a form with no fields, the body unread.
    if (bodyType !== 'multipart/form-data') return void run(true)
    try {
      parser = Busboy({
        headers: req.headers as { 'content-type': string },
        limits: { parts: 500 },
        // Every part streams, text fields too, so each byte is counted as it arrives (a huge
        // base64 `file` is refused at its limit, too many field bytes at the fields' cap) instead
        // of being buffered whole first.
        isPartAFile: () => true,
        fileHwm: 256 * 1024,
        highWaterMark: 256 * 1024,
      })
    } catch {
      // Multipart without a boundary: malformed, as the protocol's parser finds it; the body unread.
      refuse(400, MALFORMED_BODY)
      return
    }
    parser.on('file', onPart)
    parser.on('error', () => refuse(400, MALFORMED_BODY))
    parser.on('finish', () => void run(false))
    req.pipe(parser)
  })
}
