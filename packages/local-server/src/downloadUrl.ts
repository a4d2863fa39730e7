import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { MAX_FILE_URL_REDIRECTS } from '@ik-upload/core/protocol'
import { isPublicAddress } from './isPublicAddress'
import { FileTooLargeError, type WrittenFile, writeLimited } from './writeLimited'

/** Why a download failed, for the server's log; the client gets the spec's one message. */
export class DownloadError extends Error {
  override name = 'DownloadError'
}

/** What `downloadUrl` takes. */
export interface DownloadOptions {
  /** Where to write the bytes; removed on failure. */
  path: string
  /** Largest body accepted, in bytes. */
  limit: number
  /** Milliseconds to wait for the response headers, and at most between two body chunks. */
  timeoutMs: number
  /** Allow loopback and private addresses (tests, or a LAN you trust). */
  allowPrivate: boolean
  /** Aborts the download (the uploading client went away). */
  signal?: AbortSignal
}

/** The downloaded file and the server's `Content-Type`, if any. */
export interface DownloadedFile extends WrittenFile {
  contentType?: string
}

/**
 * A DNS lookup that refuses names resolving to a non-public address. The check runs on the very
 * addresses the socket then connects to, so a name that resolves differently the second time (DNS
 * rebinding) cannot slip through between a check and the connect.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0)
    const refused = addresses.find((entry) => !isPublicAddress(entry.address))
    if (refused)
      return callback(
        new DownloadError(`${hostname} resolves to ${refused.address}, a private address`),
        '',
        0,
      )
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
    const [first] = addresses
    if (!first) return callback(new DownloadError(`${hostname} has no address`), '', 0)
    callback(null, first.address, first.family)
  })
}

function get(url: URL, options: DownloadOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const request = send(url, {
      method: 'GET',
      headers: { 'user-agent': 'ik-upload-local-server', accept: '*/*' },
      ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
      signal: options.signal,
    })
    // The spec's 8 s is for the response headers; the body gets the same idle allowance below.
    const timer = setTimeout(
      () => request.destroy(new DownloadError(`no response headers within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    )
    request.once('response', (response) => {
      clearTimeout(timer)
      resolve(response)
    })
    // `on`, not `once`: a socket can fail again after the first error, and an unheard error kills the process.
    request.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    request.end()
  })
}

/**
 * Downloads the `file` URL of an upload into `options.path`: http(s) only, at most 5 redirects,
 * response headers within `timeoutMs`, the body under `limit` (checked against `Content-Length`
 * first, then while streaming), and by default only from public addresses. Rejects with
 * `FileTooLargeError` for an oversized body, with another error for any other failure.
 */
export async function downloadUrl(href: string, options: DownloadOptions): Promise<DownloadedFile> {
  let url = new URL(href)
  for (let hop = 0; hop <= MAX_FILE_URL_REDIRECTS; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new DownloadError(`${url.protocol} URLs cannot be downloaded`)
    // An IP literal skips DNS, so the lookup hook never sees it: check it here.
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (!options.allowPrivate && isIP(host) && !isPublicAddress(host))
      throw new DownloadError(`${host} is a private address`)
    const response = await get(url, options)
    const status = response.statusCode ?? 0
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume()
      url = new URL(response.headers.location, url)
      continue
    }
    if (status < 200 || status >= 300) {
      response.resume()
      throw new DownloadError(`${url.href} answered HTTP ${status}`)
    }
    const declared = Number(response.headers['content-length'])
    if (declared > options.limit) {
      response.destroy()
      throw new FileTooLargeError(`Content-Length ${declared} is over the limit`)
    }
    // writeLimited stops listening when it settles; a late socket error must still have a listener.
    response.on('error', () => {})
    response.setTimeout(options.timeoutMs, () =>
      response.destroy(new DownloadError(`the body stalled for ${options.timeoutMs} ms`)),
    )
    try {
      const written = await writeLimited(response, options.path, options.limit, options.signal)
      const contentType = response.headers['content-type']
      return contentType ? { ...written, contentType } : written
    } finally {
      // A refused body is not read to its end: drop the connection instead.
      if (!response.complete) response.destroy()
    }
  }
  throw new DownloadError(`more than ${MAX_FILE_URL_REDIRECTS} redirects`)
}
