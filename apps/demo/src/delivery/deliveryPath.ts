/**
 * The part of a delivery URL after `urlEndpoint + "/"` (spec section 5): the file path, with a
 * `tr:` segment in front when a transformation is asked for, e.g. `tr:w-400/photos/cat.jpg`.
 * This is also exactly the string a private URL's signature covers.
 */
export function deliveryPath(filePath: string, transformation?: string): string {
  const path = filePath.replace(/^\/+/, '')
  return transformation ? `tr:${transformation}/${path}` : path
}
