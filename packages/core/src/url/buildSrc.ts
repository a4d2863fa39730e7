import { buildTransformationString } from './buildTransformationString'
import type { SrcOptions } from './Transformation'

/** Runs of `/` as one, as ImageKit's SDK joins paths (so `//a.jpg` and `/a.jpg` are one URL). */
const joinPath = (path: string) => path.replace(/\/+/g, '/')

/**
 * A delivery URL, as ImageKit's `@imagekit/javascript` 5 `buildSrc` builds it for the same input.
 *
 * - A path `src` is joined to `urlEndpoint` (runs of `/` become one); an absolute `http(s)` `src`
 *   keeps its host and path, and `urlEndpoint` is not used.
 * - `queryParameters` are appended (escaped like a form); a query already in `src` is kept.
 * - The transformation goes into the query as `tr=` (the default, and always for an absolute
 *   `src`), after the other parameters and before any `#fragment`, or into the path as
 *   `/tr:<steps>/` after the endpoint's own path (`transformationPosition: 'path'`).
 * - The path is percent-encoded as a URL's path is (spaces, unicode, `?` and `#` in the path
 *   position). The query's `tr` value is written as ImageKit writes it (`w-300,h-200:rt-90`,
 *   readable), except that `#` and `&` are escaped, which would otherwise end it.
 * - No `src`, or one that cannot be a URL (a path without a valid `urlEndpoint`): `''`.
 *
 * @example
 * buildSrc({ urlEndpoint: 'https://ik.imagekit.io/demo', src: '/a.jpg', transformation: [{ width: 300 }] })
 * // 'https://ik.imagekit.io/demo/a.jpg?tr=w-300'
 */
export function buildSrc({
  urlEndpoint,
  src,
  transformation,
  transformationPosition: position,
  queryParameters,
}: SrcOptions): string {
  const steps = buildTransformationString(transformation)
  const absolute = /^https?:\/\//.test(src)
  // An absolute `src` always takes the query; any position but `query` is the path, as in ImageKit's SDK.
  const inPath = steps && !absolute && position && position !== 'query'
  try {
    // No `src`: `new URL('')` throws, and the answer is `''`.
    const endpoint = new URL(absolute ? src : src && urlEndpoint)
    // Parsed whole, never resolved against the endpoint: a `src` such as `\\evil.example` must
    // stay a path, where relative resolution would read it as another host.
    const url = absolute ? endpoint : new URL(endpoint.origin + joinPath(`/${src}`))
    // append() makes a number a string, as String() would.
    for (const name in queryParameters) url.searchParams.append(name, queryParameters[name] as string)
    url.pathname = joinPath(
      `${absolute ? '' : endpoint.pathname}/${inPath ? `tr:${steps}/` : ''}${url.pathname}`,
    )
    const { hash } = url
    if (!steps || inPath) return url.href
    // After the query, before the fragment: the value as ImageKit writes it, readable, with `#`
    // and `&` escaped, which would otherwise end it.
    url.hash = ''
    return `${url.href}${url.search ? '&' : '?'}tr=${steps.replace(/[#&]/g, encodeURIComponent)}${hash}`
  } catch {
    return ''
  }
}
