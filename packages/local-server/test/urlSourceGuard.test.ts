import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { FILE_URL_NOT_DOWNLOADED, HELP } from '@ik-upload/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOrigin, startTestServer, stopTestServer, type TestServer, upload } from './helpers'

// The SSRF guard seen from the wire (issue 9, defect 10): an upload whose `file` URL leads to the
// server's own network is refused with the spec's message, and the log says it was the guard, not
// a failed connection, that stopped it (connecting to `::7f00:1` fails on its own on most hosts,
// so the answer alone cannot tell the two apart).

// Names only this test knows, answered by a stand-in for the system resolver. The server calls
// `dns.lookup` (getaddrinfo) for every name, as a real resolver would answer an attacker's record.
const answers: Record<string, LookupAddress[]> = {
  'compat-loopback.test': [{ address: '::7f00:1', family: 6 }],
  'mapped-loopback.test': [{ address: '::ffff:7f00:1', family: 6 }],
  'nat64-private.test': [{ address: '64:ff9b::a00:1', family: 6 }],
  'sixtofour-loopback.test': [{ address: '2002:7f00:1::1', family: 6 }],
}

type Lookup = typeof import('node:dns').lookup
const dns = createRequire(import.meta.url)('node:dns') as { lookup: Lookup }
const systemLookup = dns.lookup

function fakeLookup(
  hostname: string,
  options: LookupOneOptions | LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  const known = answers[hostname]
  if (!known) return void (systemLookup as (...args: unknown[]) => void)(hostname, options, callback)
  const first = known[0] as LookupAddress
  queueMicrotask(() => (options.all ? callback(null, known) : callback(null, first.address, first.family)))
}

let origin: Awaited<ReturnType<typeof startOrigin>>
let guarded: TestServer

beforeAll(async () => {
  dns.lookup = fakeLookup as unknown as Lookup
  // Carries the swap over to `import { lookup } from 'node:dns'`, the way the server imports it.
  syncBuiltinESMExports()
  origin = await startOrigin((_req, res) => res.end('internal bytes'))
  // A short allowance, so that a guard that let one through fails on the log note, not on a timeout.
  guarded = await startTestServer({ urlTimeoutMs: 500 })
})
afterAll(async () => {
  dns.lookup = systemLookup
  syncBuiltinESMExports()
  await stopTestServer(guarded)
  await origin.close()
})

const notDownloaded = { status: 400, body: { message: FILE_URL_NOT_DOWNLOADED, help: HELP } }

/** Uploads with `file` = `href` and returns the answer and the server's log note for it. */
async function uploadUrl(href: string) {
  const entry = guarded.nextLogEntry('/api/v1/files/upload')
  const answer = await upload(guarded, {}, href, 'a.txt')
  return { answer, note: (await entry).note }
}

describe('file URLs are refused by the SSRF guard', () => {
  it.each(Object.keys(answers))('for a name that resolves to a private address: %s', async (name) => {
    const port = new URL(origin.url).port
    const { answer, note } = await uploadUrl(`http://${name}:${port}/x`)
    expect(answer).toMatchObject(notDownloaded)
    expect(note).toMatch(/private address/)
  })

  it.each([
    '[::127.0.0.1]',
    '[::7f00:1]',
    '[::ffff:7f00:1]',
    '[2002:7f00:1::1]',
    '[64:ff9b::7f00:1]',
    '[64:ff9b:1::a00:1]',
    '[2001:0:4136:e378:8000:63bf:80ff:fffe]',
    '127.1',
    '0x7f.1',
    '2130706433',
    '0177.0.0.1',
  ])('for a literal host that is, or embeds, a private address: %s', async (host) => {
    const port = new URL(origin.url).port
    const { answer, note } = await uploadUrl(`http://${host}:${port}/x`)
    expect(answer).toMatchObject(notDownloaded)
    expect(note).toMatch(/private address/)
  })
})
