import type { JudgedUpload } from './judgeUploadRequest'
import type { StoredFileRecord } from './uploadResponse'

/** What an accepted upload sets on the stored record, besides the bytes' own facts. */
export type RecordFields = Pick<
  StoredFileRecord,
  | 'versionNumber'
  | 'tags'
  | 'customCoordinates'
  | 'isPrivateFile'
  | 'isPublished'
  | 'customMetadata'
  | 'description'
  | 'extensions'
  | 'AITags'
>

/**
 * The record fields of an accepted upload, merged with the file it replaces (if any) by the spec's
 * overwrite rules: the version goes up by one; `tags`, `customMetadata` and AI tags the request does
 * not carry are removed unless `overwriteTags` / `overwriteCustomMetadata` / `overwriteAITags` is
 * false, which keeps the old ones; `customCoordinates` and `description` are always the request's.
 * The msw handlers and the local server both store this, so the rule is written once.
 */
export function recordFields(
  upload: JudgedUpload,
  previous?: Pick<StoredFileRecord, 'versionNumber' | 'tags' | 'customMetadata' | 'AITags'>,
): RecordFields {
  const keep = <T>(sent: T | null, overwrite: boolean, old: T | null | undefined): T | null =>
    sent ?? (previous && !overwrite ? (old ?? null) : null)
  return {
    versionNumber: (previous?.versionNumber ?? 0) + 1,
    tags: keep(upload.tags, upload.overwriteTags, previous?.tags),
    customCoordinates: upload.customCoordinates,
    isPrivateFile: upload.isPrivateFile,
    isPublished: upload.isPublished,
    customMetadata: keep(upload.customMetadata, upload.overwriteCustomMetadata, previous?.customMetadata),
    description: upload.description,
    extensions: upload.extensions,
    AITags: keep(null, upload.overwriteAITags, previous?.AITags),
  }
}
