/**
 * The rules that need the file itself, run by a server after `judgeUploadFields` succeeded and the
 * file arrived (or was downloaded): size limit → `checks` → where the file goes, and whether an
 * existing file there may be replaced. Written once here for the msw handlers and the local server.
 */
import type { JudgedUpload, Refusal } from './judgeUploadRequest'
import { CHECKS_FAILED, FILE_EMPTY, FILE_EXISTS, FILE_TOO_LARGE, NO_UNIQUE_NAME } from './messages'
import { addUniqueSuffix, DEFAULT_MAX_FILE_SIZE, makeUniqueSuffix, toFilePath } from './rules'

/** What the server knows about the received file. */
export interface UploadFileFacts {
  /** Size in bytes. */
  size: number
  /** MIME type, as detected (see `detectFileType`). */
  mime: string
}

/** What `judgeUploadFile` needs from the server's storage. */
export interface UploadFileContext {
  /** The per-file limit in bytes. @default 26_214_400 (25 MB) */
  maxFileSize?: number
  /** Whether a file is stored at `filePath`. */
  fileExists(filePath: string): boolean | Promise<boolean>
  /** Makes a unique suffix; tests pass a fixed one. @default makeUniqueSuffix */
  uniqueSuffix?: () => string
}

/** Where an accepted file goes: its final name and path, and whether it replaces a stored file. */
export type UploadPlacement = { ok: true; name: string; filePath: string; replaces: boolean } | Refusal

/** A suffix that collides with a stored file is drawn again; 64^9 names make a second draw rare. */
const MAX_SUFFIX_DRAWS = 8

/**
 * Judges the file of an accepted upload: over the size limit → `FILE_TOO_LARGE`; 0 bytes →
 * `FILE_EMPTY` (ours: hosted ImageKit's answer is not published; an empty part is almost always a
 * failed read or an empty file input, and keeping it would hand out a URL to nothing); failing the
 * `checks` expression → `CHECKS_FAILED`; with `useUniqueFileName=false` and `overwriteFile=false`,
 * a stored file at the path → `FILE_EXISTS`. Otherwise answers the final name (with the unique
 * suffix when asked) and `filePath`.
 */
export async function judgeUploadFile(
  upload: JudgedUpload,
  file: UploadFileFacts,
  ctx: UploadFileContext,
): Promise<UploadPlacement> {
  const refuse = (message: string): Refusal => ({ ok: false, status: 400, message })
  if (file.size > (ctx.maxFileSize ?? DEFAULT_MAX_FILE_SIZE)) return refuse(FILE_TOO_LARGE)
  if (!file.size) return refuse(FILE_EMPTY)
  if (upload.checks && !upload.checks({ size: file.size, mime: file.mime, folder: upload.folder }))
    return refuse(CHECKS_FAILED)
  if (upload.useUniqueFileName) {
    const suffix = ctx.uniqueSuffix ?? makeUniqueSuffix
    for (let draw = 0; draw < MAX_SUFFIX_DRAWS; draw++) {
      const name = addUniqueSuffix(upload.fileName, suffix())
      const filePath = toFilePath(upload.folderSegments, name)
      if (!(await ctx.fileExists(filePath))) return { ok: true, name, filePath, replaces: false }
    }
    // Only a broken suffix source gets here; replacing a file the caller did not name would be worse.
    return { ok: false, status: 500, message: NO_UNIQUE_NAME }
  }
  const filePath = toFilePath(upload.folderSegments, upload.fileName)
  const exists = await ctx.fileExists(filePath)
  if (exists && !upload.overwriteFile) return refuse(FILE_EXISTS)
  return { ok: true, name: upload.fileName, filePath, replaces: exists }
}
