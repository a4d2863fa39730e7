import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  HELP,
  invalidValue,
  jsonDepth,
  MAX_JSON_DEPTH,
  overDeepJsonField,
  signUploadJwt,
} from '@ik-upload/core/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { type LocalServer, startLocalServer } from '../../src/index'
import {
  authFields,
  startTestServer,
  stopTestServer,
  storedBlobs,
  storedRecords,
  TEST_PRIVATE_KEY,
  TEST_PUBLIC_KEY,
  type TestServer,
  tempDataDir,
} from '../helpers'
import { expectHealthy, multipart, multipartType, openFds, send, storageDrift, textParts } from './support'

// Issue 9, defect 6: a `customMetadata` (or `extensions`, `transformation`) nested 10,000 deep
// passed JSON.parse, then the record's JSON.stringify overflowed the stack: a 500, the token spent
// and the blob left in storage. Over-deep JSON is now refused with a 400 before the token is
// spent; a blob is removed on any failure after its rename into storage; and blobs no record
// points at are reclaimed at start-up (kill -9 between rename and commit: killRestart.test.ts).

/** `{"a":{"a":…1…}}`, `depth` objects deep. */
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

describe('jsonDepth', () => {
  it.each([
    ['a number', '1', 0],
    ['brackets inside a string', '"{[{["', 0],
    ['an empty object', '{}', 1],
    ['mixed arrays and objects', '[[], {"a": [1, {"b": "]]]"}]}]', 4],
    ['an escaped quote before a bracket', '{"a":"\\"{"}', 1],
    ['10,000 nested objects', deepObject(10_000), 10_000],
  ])('counts the nesting of %s without recursion', (_, text, depth) => {
    expect(jsonDepth(text)).toBe(depth)
  })

  it('names the first JSON field over the limit, in wire order', () => {
    expect(overDeepJsonField({ customMetadata: deepObject(MAX_JSON_DEPTH) })).toBeUndefined()
    expect(
      overDeepJsonField({
        transformation: deepObject(MAX_JSON_DEPTH + 1),
        extensions: `[${deepObject(40)}]`,
      }),
    ).toBe('extensions')
  })
})

let server: TestServer | undefined
afterEach(async () => {
  await stopTestServer(server)
  server = undefined
})

const post = async (target: LocalServer, fields: Record<string, string>, file = 'hello') =>
  send(target.uploadEndpoint, {
    headers: { 'content-type': multipartType() },
    body: multipart([...textParts(fields), { name: 'file', value: file, filename: 'a.txt' }]),
  })

describe('over-deep JSON fields (defect 6)', () => {
  it.each([
    ['customMetadata', deepObject(10_000)],
    ['extensions', `[{"name":"remove-bg","options":${deepObject(10_000)}}]`],
    ['transformation', `{"pre":"w-100","extra":${deepObject(10_000)}}`],
  ])(
    'refuses %s nested 10,000 deep with a 400 before the token is spent, storing nothing',
    async (field, value) => {
      server = await startTestServer()
      const idle = openFds()
      const fields = { ...(await authFields()), fileName: 'deep.txt' }
      const refused = await post(server, { ...fields, [field]: value })
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 400,
        body: { message: invalidValue(field), help: HELP },
      })
      expect(storedBlobs(server)).toEqual({ files: [], tmp: [] })
      expect(storedRecords(server).versions).toEqual([])
      // The token was not spent: the same signed fields without the bad one go through.
      expect((await post(server, fields)).status).toBe(200)
      await expectHealthy(server, idle)
    },
  )

  it(`accepts customMetadata ${MAX_JSON_DEPTH} deep and refuses it one deeper`, async () => {
    server = await startTestServer()
    const ok = await post(server, {
      ...(await authFields()),
      fileName: 'a.txt',
      customMetadata: deepObject(MAX_JSON_DEPTH),
      responseFields: 'customMetadata',
    })
    expect(ok.status).toBe(200)
    expect(JSON.stringify((ok.body as { customMetadata: unknown }).customMetadata)).toBe(
      deepObject(MAX_JSON_DEPTH),
    )
    const deeper = await post(server, {
      ...(await authFields()),
      fileName: 'a.txt',
      customMetadata: deepObject(MAX_JSON_DEPTH + 1),
    })
    expect(deeper.body).toEqual({ message: invalidValue('customMetadata'), help: HELP })
  })

  it('refuses a v2 upload whose signed customMetadata nests too deep, before its token is spent', async () => {
    server = await startTestServer()
    const fields = { fileName: 'a.txt', customMetadata: deepObject(5000) }
    const token = await signUploadJwt({ publicKey: TEST_PUBLIC_KEY, privateKey: TEST_PRIVATE_KEY, fields })
    const answer = await send(server.uploadEndpointV2, {
      headers: { 'content-type': multipartType() },
      body: multipart([...textParts({ ...fields, token }), { name: 'file', value: 'x', filename: 'a.txt' }]),
    })
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 400,
      body: { message: invalidValue('customMetadata'), help: HELP },
    })
    expect(storedBlobs(server)).toEqual({ files: [], tmp: [] })
  })

  it('keeps the signature error first: a bad signature with deep JSON is the signature error', async () => {
    server = await startTestServer()
    const answer = await post(server, {
      ...(await authFields()),
      signature: '0'.repeat(40),
      fileName: 'a.txt',
      customMetadata: deepObject(10_000),
    })
    expect(answer.body).toEqual({ message: 'Your request contains invalid signature parameter.', help: HELP })
  })
})

describe('blobs without a record (defect 6)', () => {
  const dirs: string[] = []
  let running: LocalServer | undefined
  afterEach(async () => {
    await running?.close()
    running = undefined
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('are reclaimed at start-up; recorded blobs are kept and still delivered', async () => {
    const dataDir = tempDataDir()
    dirs.push(dataDir)
    const start = () =>
      startLocalServer({ port: 0, dataDir, publicKey: TEST_PUBLIC_KEY, privateKey: TEST_PRIVATE_KEY })
    running = await start()
    const stored = await post(running, { ...(await authFields()), fileName: 'kept.txt' }, 'kept bytes')
    expect(stored.status).toBe(200)
    await running.close()
    // What a kill between the rename into files/ and the commit leaves: bytes no record names.
    writeFileSync(join(dataDir, 'files', '0123456789abcdef01234567'), 'orphan bytes')
    mkdirSync(join(dataDir, 'files', 'stray-folder'))
    expect(storageDrift(dataDir).orphans).toHaveLength(2)
    running = await start()
    expect(storageDrift(dataDir)).toEqual({ orphans: [], missing: [] })
    expect(readdirSync(join(dataDir, 'files'))).toHaveLength(1)
    const delivered = await send(running.urlEndpoint + (stored.body as { filePath: string }).filePath, {
      method: 'GET',
    })
    expect(delivered.body).toBe('kept bytes')
  })
})
