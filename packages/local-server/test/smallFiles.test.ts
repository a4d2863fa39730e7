import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tokenUsed } from '@ik-upload/core/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { HEAD_BYTES } from '../src/writeLimited'
import {
  authFields,
  startTestServer,
  stopTestServer,
  storedBlobs,
  storedRecord,
  type TestServer,
  upload,
} from './helpers'
import { eventually } from './hostile/support'

let server: TestServer | undefined
afterEach(async () => {
  await stopTestServer(server)
  server = undefined
})

// Issue 11: a binary file that ends within its first HEAD_BYTES is held in memory and written once,
// straight into files/; a longer one streams to a temp file opened only past them. Both sides of
// that line must store the bytes exactly.
describe('files around the in-memory size', () => {
  it.each([1, 2048, HEAD_BYTES - 1, HEAD_BYTES, HEAD_BYTES + 1, 3 * HEAD_BYTES + 17])(
    'stores a %i-byte file byte for byte, leaving no temp file',
    async (size) => {
      server = await startTestServer()
      const bytes = randomBytes(size)
      const answer = await upload(server, { useUniqueFileName: 'false' }, new Blob([bytes]), `f${size}.bin`)
      expect(answer.status).toBe(200)
      expect(answer.body).toMatchObject({ size, filePath: `/f${size}.bin` })
      const record = storedRecord(server, `/f${size}.bin`)
      expect(record?.size).toBe(size)
      expect(readFileSync(join(server.dataDir, record?.blob ?? 'missing')).equals(bytes)).toBe(true)
      expect(storedBlobs(server)).toEqual({ files: [record?.versionId], tmp: [] })
    },
  )

  it('keeps a held file out of storage when its upload is refused after the file arrived', async () => {
    server = await startTestServer({ maxFileSize: 4096 })
    const first = await upload(server, { useUniqueFileName: 'false' }, new Blob([randomBytes(100)]), 'a.bin')
    expect(first.status).toBe(200)
    // Same path, overwriting forbidden: refused by the placement rules, after the bytes were received.
    const refused = await upload(
      server,
      { useUniqueFileName: 'false', overwriteFile: 'false' },
      new Blob([randomBytes(100)]),
      'a.bin',
    )
    expect(refused.status).toBe(400)
    // The refused blob is removed right after the answer (as for a streamed file), so wait for it.
    const current = server
    await eventually(() => storedBlobs(current).files.length === 1)
    expect(storedBlobs(server)).toEqual({ files: [storedRecord(server, '/a.bin')?.versionId], tmp: [] })
  })

  // The token of a held file is claimed in the commit's transaction (one write per upload); a
  // refusal on the way there must still spend it, as the spec's token rules say.
  it('spends the token of a held file refused by the placement rules', async () => {
    server = await startTestServer()
    expect(
      (await upload(server, { useUniqueFileName: 'false' }, new Blob([randomBytes(10)]), 'b.bin')).status,
    ).toBe(200)
    const auth = await authFields()
    const again = { ...auth, useUniqueFileName: 'false', overwriteFile: 'false' }
    const refused = await upload(server, again, new Blob([randomBytes(10)]), 'b.bin')
    expect(refused.status).toBe(400)
    const reused = await upload(
      server,
      { ...auth, useUniqueFileName: 'false' },
      new Blob([randomBytes(10)]),
      'c.bin',
    )
    expect(reused.status).toBe(400)
    expect(reused.body).toMatchObject({ message: tokenUsed(auth.token as string) })
  })
})
