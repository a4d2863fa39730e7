/**
 * The bare MIME type of a `Content-Type` value, lower-cased, its parameters dropped:
 * `Text/Plain; charset=utf-8` → `text/plain`; `undefined` for an empty or missing value. Every
 * judge reads a file part's or a downloaded file's type through it, so `metadata.format`, `mime` and
 * `checks` on `file.mime` see the same type whoever parsed the request.
 */
export function mimeTypeOf(contentType: string | null | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase()
  return type || undefined
}
