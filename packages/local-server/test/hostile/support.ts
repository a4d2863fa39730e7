import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import Database from 'libsql'
import { expect } from 'vitest'
import type { LocalServer } from '../../src/index'
import { TEST_PRIVATE_KEY, TEST_PUBLIC_KEY } from '../helpers'

// What the hostile suite shares: a plain HTTP client without connection reuse (so every socket it
// opens is closed by the time its answer is read, and descriptor counts come back), raw sockets
// for what no HTTP client sends, multipart bodies built by hand, and the process checks run after
// every group of hostile requests.

/**
 * Open file descriptors of this process (the server runs in it; so do the test's clients), not
 * counting the database's: SQLite keeps a closed connection's descriptors open while another
 * connection of the process (the server's) holds the file, so every read-only look the checks
 * take at the database would add some until the server stops.
 */
export function openFds(): number {
  let count = 0
  for (const fd of readdirSync('/proc/self/fd')) {
    let target = ''
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`)
    } catch {
      // Closed between the listing and the look: not open.
      continue
    }
    if (!/ik\.sqlite(-wal|-shm|-journal)?$/.test(target)) count++
  }
  return count
}

/**
 * Waits until this process has at most `target` open descriptors, checking after every turn of
 * the event loop and every 20 ms; returns the last count. Bounded by `limitMs` (generous: it only
 * keeps a regression from hanging the suite), so the checks never depend on how fast the machine is.
 */
export async function fdsSettle(target: number, limitMs = 10_000, read = openFds): Promise<number> {
  const deadline = Date.now() + limitMs
  let count = read()
  while (count > target && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    count = read()
  }
  return count
}

/** Waits until `check` returns true (after each 20 ms), bounded by `limitMs` like `fdsSettle`. */
export async function eventually(check: () => boolean, limitMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + limitMs
  while (!check()) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return true
}

/** An answer read off the wire. */
export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The body parsed as JSON when it is JSON, else the text. */
  body: unknown
}

/**
 * One request over a fresh connection (`agent: false`: `Connection: close`, nothing pooled), the
 * whole body given at once. Node's client is used instead of `fetch` so odd headers (duplicates,
 * huge ones, a wrong length) go out as written.
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string | string[]>; body?: Buffer | string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // The path goes out byte for byte (`new URL` would resolve `..` and re-encode it).
    const { hostname, port, origin } = new URL(url)
    const req = request({
      host: hostname,
      port: Number(port),
      path: url.slice(origin.length) || '/',
      method: options.method ?? 'POST',
      headers: options.headers,
      agent: false,
    })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let body: unknown = text
        try {
          body = JSON.parse(text)
        } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** A multipart part: a text field, or a file part (`filename`, optional content type). */
export type RawPart =
  | { name: string; value: string | Buffer; filename?: undefined; type?: string }
  | { name: string; value: string | Buffer; filename: string; type?: string }

export const BOUNDARY = 'hostileBoundary5XkP0q'

/** A multipart body, built byte for byte (so it can be broken on purpose). */
export function multipart(parts: readonly RawPart[], boundary = BOUNDARY, close = true): Buffer {
  const chunks: Buffer[] = []
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`
    const type = part.type ?? (part.filename === undefined ? undefined : 'application/octet-stream')
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`,
      ),
      Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value),
      Buffer.from('\r\n'),
    )
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return Buffer.concat(chunks)
}

/** The content type of a `multipart` body. */
export const multipartType = (boundary = BOUNDARY) => `multipart/form-data; boundary=${boundary}`

/** Text fields as parts, in order. */
export const textParts = (fields: Record<string, string>): RawPart[] =>
  Object.entries(fields).map(([name, value]) => ({ name, value }))

/**
 * A raw connection: writes `data`, then keeps the socket as the test says. `allowHalfOpen` keeps
 * the client's half open after the server's FIN, as a stalled attacker would.
 */
export function rawConnection(
  url: string,
): Promise<{ socket: Socket; received: () => string; ended: Promise<void>; closed: Promise<void> }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), allowHalfOpen: true })
    let text = ''
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1')
    })
    // A reset from the server is an expected way for these sockets to end.
    socket.on('error', () => {})
    const ended = new Promise<void>((done) => {
      socket.once('end', done)
      socket.once('close', done)
    })
    const closed = new Promise<void>((done) => socket.once('close', () => done()))
    socket.once('connect', () => resolve({ socket, received: () => text, ended, closed }))
    socket.once('error', reject)
  })
}

/** The status of a raw HTTP answer (`0` when none came). */
export const rawStatus = (text: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)

/** The JSON body of a raw HTTP answer. */
export const rawJson = (text: string): unknown => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))

/** Blobs under `files/` that no version record names, and records whose blob is missing. */
export function storageDrift(dataDir: string): { orphans: string[]; missing: string[] } {
  const db = new Database(join(dataDir, 'ik.sqlite'), { readonly: true })
  try {
    const blobs = (db.prepare('SELECT blob FROM versions').all() as { blob: string }[]).map((row) => row.blob)
    const known = new Set(blobs)
    const orphans = readdirSync(join(dataDir, 'files')).filter((name) => !known.has(join('files', name)))
    const missing = blobs.filter((blob) => !existsSync(join(dataDir, blob)))
    return { orphans, missing }
  } finally {
    db.close()
  }
}

/**
 * The checks after each group of hostile requests: the server still answers, no temp file is
 * left, no blob lacks a record and no record lacks its blob, and this process's descriptors are
 * back to `idleFds` (every connection of the group closed, every temp file and read stream gone).
 */
export async function expectHealthy(server: LocalServer, idleFds: number): Promise<void> {
  const info = await send(`${server.url}/`, { method: 'GET' })
  expect(info.status).toBe(200)
  // A cut request's temp file goes while its handler winds down: wait for it, within bounds.
  await eventually(() => readdirSync(join(server.dataDir, 'tmp')).length === 0)
  expect(readdirSync(join(server.dataDir, 'tmp'))).toEqual([])
  // A request cut after its closing boundary is complete: its handler may be between the rename
  // into files/ and the record's commit (or the blob's removal) when the temp folder empties.
  const drift = () => storageDrift(server.dataDir)
  await eventually(() => drift().orphans.length + drift().missing.length === 0)
  expect(drift()).toEqual({ orphans: [], missing: [] })
  expect(await fdsSettle(idleFds)).toBeLessThanOrEqual(idleFds)
}

/** A server in its own process, started through the CLI from the sources (as `pnpm dev` does). */
export interface ServerProcess {
  url: string
  uploadEndpoint: string
  pid: number
  child: ChildProcess
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<number | string | null>
}

/** Starts `ik-upload-server` with the test keys on a free port; resolves once it listens. */
export function spawnServer(dataDir: string, args: readonly string[] = []): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@ik-upload/source',
      '--import',
      'tsx',
      'src/cli.ts',
      '--port',
      '0',
      '--data',
      dataDir,
      '--public-key',
      TEST_PUBLIC_KEY,
      '--private-key',
      TEST_PRIVATE_KEY,
      '--quiet',
      ...args,
    ],
    {
      cwd: join(import.meta.dirname, '..', '..'),
      env: { ...process.env, IK_SERVER_PORT: '', IK_SERVER_DATA: '', IK_SERVER_HOST: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  )
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1]
      if (!url || !output.includes('data ')) return
      child.stdout?.off('data', onData)
      // Keep draining, so a full pipe never blocks the server.
      child.stdout?.resume()
      resolve({ url, uploadEndpoint: `${url}/api/v1/files/upload`, pid: child.pid as number, child, exited })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8')
    })
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${output}`)))
  })
}

/** A line of `/proc/<pid>/status`, in bytes (`VmRSS`, `VmHWM`). */
export function procMemory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024
}

/** Resets a process's peak RSS (`VmHWM`) to its current RSS, so the next peak is this request's. */
export function resetPeakMemory(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5')
}
