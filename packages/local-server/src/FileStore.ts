import { randomUUID } from 'node:crypto'
import { close, mkdirSync, open, readdirSync, rmSync, write } from 'node:fs'
import { rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { JudgedUpload, StoredFileRecord } from '@ik-upload/core/protocol'
import { newFileId, recordFields } from '@ik-upload/core/protocol'
import Database from 'libsql'
import AsyncDatabase from 'libsql/promise'

/** A stored version: the record the response is built from, plus what delivery needs. */
export interface StoredFile extends StoredFileRecord {
  /** The account that uploaded it. */
  publicKey: string
  /** The bytes, relative to the data folder. */
  blob: string
}

/** What the received file turned out to be. */
export interface ReceivedFileFacts {
  size: number
  mime: string
  fileType: StoredFileRecord['fileType']
  width?: number
  height?: number
}

/** The outcome of a commit: stored, or the path was taken in the meantime (judge the placement again). */
/**
 * `conflict`: the path's state changed since the placement was judged (the token passed, if any,
 * is claimed all the same); `tokenUsed`: the token passed was spent meanwhile, nothing written.
 */
export type CommitResult =
  | { ok: true; record: StoredFile }
  | { ok: false; conflict: true }
  | { ok: false; tokenUsed: true }

const SCHEMA_VERSION = 1

/**
 * Writes (token claims and commits, a few WAL pages each) between two checkpoints: about the
 * 1,000 pages at which SQLite would checkpoint on its own.
 */
const WRITES_PER_CHECKPOINT = 128

/**
 * The local server's storage: one data folder with the bytes under `files/` (one blob per version,
 * named by its version id) and SQLite (`ik.sqlite`) for file records, versions and used tokens.
 *
 * Every method is synchronous (libsql, the better-sqlite3 statement API), so a check and the write that depends on it run
 * with no await in between: two concurrent requests cannot both claim one token or both create one
 * path. A replacement is atomic for readers: the new bytes are complete in their own blob before the
 * record switches to them in one transaction, and a reader that already opened the old blob keeps it.
 */
export class FileStore {
  private readonly db: Database.Database
  private readonly filesDir: string
  private readonly tmpDir: string
  private readonly statements
  /**
   * A second connection, whose calls run on libsql's threads, for checkpoints (copying the WAL
   * into the database file, two fsyncs): SQLite's own ones run inside a commit, on the event loop,
   * and would stall every request for as long as the disk takes. `undefined` when it cannot open:
   * SQLite then checkpoints on its own as before.
   */
  private readonly checkpointer: AsyncDatabase | undefined
  private writesSinceCheckpoint = 0
  private checkpointing: Promise<void> | undefined

  constructor(readonly dataDir: string) {
    this.filesDir = join(dataDir, 'files')
    this.tmpDir = join(dataDir, 'tmp')
    mkdirSync(this.filesDir, { recursive: true })
    // Leftovers of uploads cut by a crash or kill: no record points at them.
    rmSync(this.tmpDir, { recursive: true, force: true })
    mkdirSync(this.tmpDir, { recursive: true })
    this.db = new Database(join(dataDir, 'ik.sqlite'))
    // WAL: readers (delivery) never wait for a writer; NORMAL is durable enough for a dev server.
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.migrate()
    this.checkpointer = openCheckpointer(join(dataDir, 'ik.sqlite'))
    if (this.checkpointer) this.db.pragma('wal_autocheckpoint = 0')
    this.statements = {
      claimToken: this.db.prepare('INSERT OR IGNORE INTO used_tokens (token, used_at) VALUES (?, ?)'),
      isTokenUsed: this.db.prepare('SELECT 1 FROM used_tokens WHERE token = ?'),
      current: this.db.prepare(
        'SELECT v.record FROM files f JOIN versions v ON v.version_id = f.version_id WHERE f.file_path = ?',
      ),
      insertVersion: this.db.prepare(
        'INSERT INTO versions (version_id, file_id, version_number, blob, record, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      upsertFile: this.db.prepare(
        `INSERT INTO files (file_path, file_id, version_id, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (file_path) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at`,
      ),
      versions: this.db.prepare('SELECT record FROM versions WHERE file_id = ? ORDER BY version_number'),
      countFiles: this.db.prepare('SELECT COUNT(*) AS n FROM files'),
    }
    this.reclaimOrphanBlobs()
  }

  /**
   * Removes the blobs under `files/` that no version record points at. An upload renames its
   * bytes into `files/` first and records them second, so that a record never points at missing
   * bytes; a crash (`kill -9`, a power cut) between the two leaves a blob nobody knows, and this is
   * where it goes. Runs once at start, before the server listens, so no upload is between its
   * rename and its commit.
   */
  private reclaimOrphanBlobs(): void {
    const known = new Set(
      (this.db.prepare('SELECT blob FROM versions').all() as { blob: string }[]).map((row) => row.blob),
    )
    for (const name of readdirSync(this.filesDir)) {
      if (!known.has(join('files', name))) rmSync(join(this.filesDir, name), { force: true, recursive: true })
    }
  }

  private migrate(): void {
    // libsql answers a pragma with a row object even when asked for `simple`.
    const version = (this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version
    if (version >= SCHEMA_VERSION) return
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS files (
        file_path TEXT PRIMARY KEY,
        file_id TEXT NOT NULL UNIQUE,
        version_id TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS versions (
        version_id TEXT PRIMARY KEY,
        file_id TEXT NOT NULL,
        version_number INTEGER NOT NULL,
        blob TEXT NOT NULL,
        record TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS versions_by_file ON versions (file_id, version_number);
      CREATE TABLE IF NOT EXISTS used_tokens (token TEXT PRIMARY KEY, used_at INTEGER NOT NULL) WITHOUT ROWID;
      PRAGMA user_version = ${SCHEMA_VERSION};
    `)
  }

  /** Marks a token used; `false` when it was used before (the check and the mark are one statement). */
  claimToken(token: string): boolean {
    const claimed = this.statements.claimToken.run(token, Math.floor(Date.now() / 1000)).changes === 1
    if (claimed) this.wrote()
    return claimed
  }

  /** Counts a write; every `WRITES_PER_CHECKPOINT` starts a checkpoint off the event loop (one at a time). */
  private wrote(): void {
    const checkpointer = this.checkpointer
    if (!checkpointer || ++this.writesSinceCheckpoint < WRITES_PER_CHECKPOINT || this.checkpointing) return
    this.writesSinceCheckpoint = 0
    // PASSIVE: never waits for, nor blocks, the writes that go on meanwhile. A failed one (busy)
    // leaves the WAL to the next.
    const done = () => {
      this.checkpointing = undefined
    }
    this.checkpointing = (checkpointer.exec('PRAGMA wal_checkpoint(PASSIVE)') as Promise<void>).then(
      done,
      done,
    )
  }

  isTokenUsed(token: string): boolean {
    return this.statements.isTokenUsed.get(token) !== undefined
  }

  /** The current version of the file at `filePath`. */
  current(filePath: string): StoredFile | undefined {
    const row = this.statements.current.get(filePath) as { record: string } | undefined
    return row ? (JSON.parse(row.record) as StoredFile) : undefined
  }

  fileExists(filePath: string): boolean {
    return this.statements.current.get(filePath) !== undefined
  }

  /** Every version of a file, oldest first. */
  versions(fileId: string): StoredFile[] {
    return (this.statements.versions.all(fileId) as { record: string }[]).map(
      (row) => JSON.parse(row.record) as StoredFile,
    )
  }

  fileCount(): number {
    return (this.statements.countFiles.get() as { n: number }).n
  }

  /** A fresh temp path on the data folder's file system, so `rename` into `files/` is atomic. */
  tempPath(): string {
    return join(this.tmpDir, randomUUID())
  }

  /** The absolute path of a stored blob. */
  blobPath(record: Pick<StoredFile, 'blob'>): string {
    return join(this.dataDir, record.blob)
  }

  /** Moves a complete temp file into `files/` as the bytes of a new version; returns the blob name. */
  async adoptTemp(tempPath: string, versionId: string): Promise<string> {
    const blob = join('files', versionId)
    await rename(tempPath, join(this.dataDir, blob))
    return blob
  }

  /**
   * Writes a file held in memory (a small upload) into `files/` as the bytes of a new version;
   * returns the blob name. One write where a temp file costs a write and a rename; as with a
   * rename, the record comes after (a crash between leaves a blob with no record, reclaimed at the
   * next start), and a failed write removes what it made.
   */
  adoptBytes(bytes: Uint8Array, versionId: string): Promise<string> {
    const blob = join('files', versionId)
    const path = join(this.dataDir, blob)
    // Node's callback API, not `writeFile`: no FileHandle or promise per call, and the close runs
    // after we resolve (the bytes are in the file once `write` returns; the descriptor's close
    // adds nothing a reader needs), so the answer waits for two thread-pool trips, not three.
    return new Promise((resolve, reject) => {
      open(path, 'wx', (openError, fd) => {
        // Not removed when the name was taken ('wx'): that file is not ours.
        if (openError) return reject(openError)
        const fail = (error: Error) =>
          close(fd, () =>
            unlink(path).then(
              () => reject(error),
              () => reject(error),
            ),
          )
        const writeFrom = (offset: number) =>
          write(fd, bytes, offset, bytes.length - offset, null, (writeError, written) => {
            if (writeError) return fail(writeError)
            if (offset + written < bytes.length) return writeFrom(offset + written)
            resolve(blob)
            close(fd, () => {})
          })
        writeFrom(0)
      })
    })
  }

  /** Removes a temp file (a refused, failed or cut upload); a missing one is fine. */
  async discardTemp(tempPath: string): Promise<void> {
    await unlink(tempPath).catch(() => {})
  }

  /** Removes a blob that no record will point at (a refused or conflicting upload). */
  async discardBlob(blob: string): Promise<void> {
    await unlink(join(this.dataDir, blob)).catch(() => {})
  }

  /**
   * Records an accepted upload at `filePath` in one transaction. `replaces` is what the placement
   * judged; when the path's state changed since (a concurrent upload created it), nothing is written
   * and the caller judges the placement again with the protocol's rules.
   *
   * On a replacement the file keeps its id and gets the next version; what the new request does not
   * carry is dropped (tags unless `overwriteTags=false`, custom metadata unless
   * `overwriteCustomMetadata=false`, AI tags unless `overwriteAITags=false`, and always
   * `customCoordinates` and `description`), as the spec's overwrite rows say.
   */
  commit(input: {
    upload: JudgedUpload
    name: string
    filePath: string
    replaces: boolean
    versionId: string
    blob: string
    facts: ReceivedFileFacts
    /** A token to claim in the same transaction (one write per upload); refused when used. */
    token?: string
  }): CommitResult {
    const { upload, name, filePath, replaces, versionId, blob, facts, token } = input
    let claimed = false
    const result = this.db.transaction((): CommitResult => {
      if (token !== undefined) {
        claimed = this.statements.claimToken.run(token, Math.floor(Date.now() / 1000)).changes === 1
        if (!claimed) return { ok: false, tokenUsed: true }
      }
      const previous = this.current(filePath)
      if (Boolean(previous) !== replaces) return { ok: false, conflict: true }
      const now = new Date().toISOString()
      const record: StoredFile = {
        fileId: previous?.fileId ?? versionId,
        versionId,
        ...recordFields(upload, previous),
        name,
        filePath,
        size: facts.size,
        mime: facts.mime,
        fileType: facts.fileType,
        ...(facts.width !== undefined && { width: facts.width }),
        ...(facts.height !== undefined && { height: facts.height }),
        publicKey: upload.publicKey,
        blob,
        createdAt: now,
        updatedAt: now,
      }
      this.statements.insertVersion.run(
        versionId,
        record.fileId,
        record.versionNumber,
        blob,
        JSON.stringify(record),
        now,
      )
      this.statements.upsertFile.run(filePath, record.fileId, versionId, now)
      return { ok: true, record }
    })()
    if (result.ok || claimed) this.wrote()
    return result
  }

  /** Names of the temp files now in progress (tests check that nothing is left behind). */
  tempFiles(): string[] {
    return readdirSync(this.tmpDir)
  }

  close(): void {
    if (this.db.open) this.db.close()
    const checkpointer = this.checkpointer
    if (checkpointer?.open) {
      checkpointer.open = false
      // Closed once a checkpoint under way has ended, never under it.
      if (this.checkpointing) void this.checkpointing.then(() => checkpointer.close())
      else checkpointer.close()
    }
  }
}

/** A new version id; for a first version it is also the file id (spec section 4). */
export const newVersionId = newFileId

/** The checkpoint connection, or `undefined` when it cannot open (then SQLite checkpoints on its own). */
function openCheckpointer(path: string): AsyncDatabase | undefined {
  try {
    return new AsyncDatabase(path, {})
  } catch {
    return undefined
  }
}
