import { FILE_EXISTS, HELP } from '@ik-upload/core/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestServer,
  stopTestServer,
  storedBlobs,
  storedRecord,
  storedRecords,
  type TestServer,
  upload,
} from './helpers'

// useUniqueFileName=false replaces a file in place: a new version, what the request does not carry
// is dropped, and a reader never sees half a file.

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => stopTestServer(server))

const bytes = (fill: number, size = 1024) => new Blob([new Uint8Array(size).fill(fill)])
const replace = (name: string, extra: Record<string, string> = {}, file = bytes(1)) =>
  upload(server, { useUniqueFileName: 'false', ...extra }, file, name)

describe('overwriting a file', () => {
  it('bumps versionInfo, keeps the fileId and serves the new bytes', async () => {
    const first = await replace('v.bin', {}, bytes(1))
    const second = await replace('v.bin', {}, bytes(2))
    expect(first.body.versionInfo).toEqual({ id: first.body.fileId, name: 'Version 1' })
    expect(second.body.fileId).toBe(first.body.fileId)
    expect(second.body.versionInfo).toEqual({
      id: expect.not.stringMatching(first.body.fileId as string),
      name: 'Version 2',
    })
    const served = new Uint8Array(await (await fetch(second.body.url as string)).arrayBuffer())
    expect(served).toEqual(new Uint8Array(1024).fill(2))
  })

  it('drops tags, customCoordinates and customMetadata that the new request does not carry', async () => {
    await replace('drop.bin', {
      tags: 'a,b',
      customCoordinates: '1,2,3,4',
      customMetadata: '{"k":1}',
      description: 'd',
    })
    const { body } = await replace('drop.bin', { responseFields: 'tags,customCoordinates,customMetadata' })
    expect(body).toMatchObject({ tags: null, customCoordinates: null, customMetadata: {} })
    expect(storedRecord(server, '/drop.bin')).toMatchObject({
      tags: null,
      customCoordinates: null,
      customMetadata: null,
      description: null,
    })
  })

  it('keeps tags and custom metadata with overwriteTags=false and overwriteCustomMetadata=false', async () => {
    await replace('keep.bin', { tags: 'a,b', customMetadata: '{"k":1}' })
    const { body } = await replace('keep.bin', {
      overwriteTags: 'false',
      overwriteCustomMetadata: 'false',
      responseFields: 'tags,customMetadata',
    })
    expect(body).toMatchObject({ tags: ['a', 'b'], customMetadata: { k: 1 } })
  })

  it('takes the tags the request carries, whatever overwriteTags says', async () => {
    await replace('carry.bin', { tags: 'a,b' })
    const { body } = await replace('carry.bin', { tags: 'c', overwriteTags: 'false', responseFields: 'tags' })
    expect(body.tags).toEqual(['c'])
  })

  it('refuses with the exact error when overwriteFile=false, and leaves the file alone', async () => {
    await replace('kept.bin', {}, bytes(5))
    const refused = await replace('kept.bin', { overwriteFile: 'false' }, bytes(6))
    expect(refused).toMatchObject({ status: 400, body: { message: FILE_EXISTS, help: HELP } })
    expect(storedRecord(server, '/kept.bin')?.versionNumber).toBe(1)
    // overwriteFile=false is fine where nothing is stored yet.
    expect((await replace('fresh.bin', { overwriteFile: 'false' })).status).toBe(200)
  })

  it('two concurrent overwrites of one path leave one whole file, and readers only ever see whole files', async () => {
    const size = 3 * 1024 * 1024
    await replace('race.bin', {}, bytes(0, size))
    const url = `${server.urlEndpoint}/race.bin`
    const uploads = Promise.all([
      replace('race.bin', {}, bytes(1, size)),
      replace('race.bin', {}, bytes(2, size)),
    ])
    const reads: Uint8Array[] = []
    let settled = false
    void uploads.finally(() => {
      settled = true
    })
    // Read while the uploads run (bounded: at most 50 reads).
    for (let i = 0; i < 50 && !settled; i++)
      reads.push(new Uint8Array(await (await fetch(url)).arrayBuffer()))
    const results = await uploads
    expect(results.map((result) => result.status)).toEqual([200, 200])
    expect(results.map((result) => (result.body.versionInfo as { name: string }).name).sort()).toEqual([
      'Version 2',
      'Version 3',
    ])
    reads.push(new Uint8Array(await (await fetch(url)).arrayBuffer()))
    for (const read of reads) {
      expect(read.length).toBe(size)
      const first = read[0] as number
      expect([0, 1, 2]).toContain(first)
      expect(read.every((byte) => byte === first)).toBe(true)
    }
    const final = reads.at(-1) as Uint8Array
    const latest = results.find(
      (result) => (result.body.versionInfo as { name: string }).name === 'Version 3',
    )
    expect(final[0]).toBe(latest === results[0] ? 1 : 2)
    expect(storedRecords(server).versions.filter((record) => record.filePath === '/race.bin')).toHaveLength(3)
    expect(storedBlobs(server).tmp).toEqual([])
  })
})
