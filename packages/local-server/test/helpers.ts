import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getAuthenticationParameters } from '@ik-upload/server'
import Database from 'libsql'
import sharp from 'sharp'
import type { StoredFile } from '../src/FileStore'
import {
  type LocalServer,
  type LocalServerOptions,
  type RequestLogEntry,
  startLocalServer,
} from '../src/index'

export const TEST_PUBLIC_KEY = 'public_test_key'
export const TEST_PRIVATE_KEY = 'private_test_key'

/** A fresh temp data folder; removed by `cleanup()`. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'ik-local-server-'))
}

export interface TestServer extends LocalServer {
  log: RequestLogEntry[]
  /** Resolves with the log entry of the next finished request to `path` (answered or cut). */
  nextLogEntry(path: string): Promise<RequestLogEntry>
}

/** Starts a server on a random port with known keys and a request log. */
export async function startTestServer(options: LocalServerOptions = {}): Promise<TestServer> {
  const log: RequestLogEntry[] = []
  const waiters: { path: string; resolve: (entry: RequestLogEntry) => void }[] = []
  const server = await startLocalServer({
    port: 0,
    dataDir: tempDataDir(),
    publicKey: TEST_PUBLIC_KEY,
    privateKey: TEST_PRIVATE_KEY,
    ...options,
    onRequest: (entry) => {
      log.push(entry)
      const index = waiters.findIndex((waiter) => waiter.path === entry.path)
      if (index >= 0) waiters.splice(index, 1)[0]?.resolve(entry)
    },
  })
  return Object.assign(server, {
    log,
    nextLogEntry: (path: string) =>
      new Promise<RequestLogEntry>((resolve) => waiters.push({ path, resolve })),
  })
}

/** Fresh v1 auth fields for the test key. */
export async function authFields(privateKey = TEST_PRIVATE_KEY): Promise<Record<string, string>> {
  const { token, expire, signature } = await getAuthenticationParameters({ privateKey })
  return { publicKey: TEST_PUBLIC_KEY, token, expire: String(expire), signature }
}

/** A form part: a text field, or a file part with a filename. */
export type Part = [name: string, value: string] | [name: string, value: Blob, filename: string]

export interface JsonResponse {
  status: number
  headers: Headers
  body: Record<string, unknown>
}

/** POSTs a multipart form with the parts in the given order. */
export async function postForm(url: string, parts: readonly Part[], headers: Record<string, string> = {}) {
  const form = new FormData()
  for (const [name, value, filename] of parts) {
    if (typeof value === 'string') form.append(name, value)
    else form.append(name, value, filename)
  }
  const response = await fetch(url, { method: 'POST', body: form, headers })
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  }
}

/** Signed fields + `extra` (an `undefined` value drops a field) + the file last. */
export async function upload(
  server: LocalServer,
  extra: Record<string, string | undefined> = {},
  file: Blob | string = new Blob([new Uint8Array([1, 2, 3])]),
  fileName = 'a.bin',
): Promise<JsonResponse> {
  const fields: Record<string, string | undefined> = { ...(await authFields()), fileName, ...extra }
  const parts: Part[] = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => [name, value])
  parts.push(typeof file === 'string' ? ['file', file] : ['file', file, fields.fileName ?? 'file'])
  return postForm(server.uploadEndpoint, parts)
}

/** A solid-colour test image made by sharp (no binaries in the repo). */
export async function makeImage(
  width: number,
  height: number,
  format: 'jpeg' | 'png' | 'webp' = 'jpeg',
  colour = '#3080ff',
): Promise<Uint8Array<ArrayBuffer>> {
  const image = sharp({ create: { width, height, channels: 3, background: colour } })
  // A copy on its own ArrayBuffer: Buffer's may be a shared pool, which Blob parts refuse.
  return Uint8Array.from(await image.toFormat(format).toBuffer())
}

/** Every file in a data folder's `files/` and `tmp/`. */
export function storedBlobs(server: LocalServer): { files: string[]; tmp: string[] } {
  return { files: readdirSync(join(server.dataDir, 'files')), tmp: readdirSync(join(server.dataDir, 'tmp')) }
}

/** A tiny HTTP server on 127.0.0.1 (the URL-source tests' remote). */
export async function startOrigin(
  listener: RequestListener,
): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(listener)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** Stops a test server and removes its data folder. */
export async function stopTestServer(server: LocalServer | undefined): Promise<void> {
  if (!server) return
  await server.close()
  rmSync(server.dataDir, { recursive: true, force: true })
}

/** The stored records, read straight from the data folder's SQLite (read-only, beside the server). */
export function storedRecords(server: LocalServer): { current: StoredFile[]; versions: StoredFile[] } {
  const db = new Database(join(server.dataDir, 'ik.sqlite'), { readonly: true })
  try {
    const parse = (rows: unknown[]) =>
      (rows as { record: string }[]).map((row) => JSON.parse(row.record) as StoredFile)
    return {
      current: parse(
        db.prepare('SELECT v.record FROM files f JOIN versions v ON v.version_id = f.version_id').all(),
      ),
      versions: parse(db.prepare('SELECT record FROM versions ORDER BY created_at, version_number').all()),
    }
  } finally {
    db.close()
  }
}

/** The current record at a path. */
export function storedRecord(server: LocalServer, filePath: string): StoredFile | undefined {
  return storedRecords(server).current.find((record) => record.filePath === filePath)
}
