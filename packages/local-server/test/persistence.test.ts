import { readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { HELP, tokenUsed } from '@ik-upload/core/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { type LocalServer, startLocalServer } from '../src/index'
import { authFields, makeImage, postForm, TEST_PRIVATE_KEY, TEST_PUBLIC_KEY, tempDataDir } from './helpers'

// One data folder keeps everything across restarts: files, versions, used tokens and dev keys.

const dirs: string[] = []
let running: LocalServer | undefined
afterEach(async () => {
  await running?.close()
  running = undefined
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const start = async (dataDir: string, keys = true) => {
  running = await startLocalServer({
    port: 0,
    dataDir,
    ...(keys && { publicKey: TEST_PUBLIC_KEY, privateKey: TEST_PRIVATE_KEY }),
  })
  return running
}

describe('restarts', () => {
  it('keep files, versions and used tokens', async () => {
    const dataDir = tempDataDir()
    dirs.push(dataDir)
    const jpeg = await makeImage(40, 30)
    let server = await start(dataDir)
    const fields = await authFields()
    const first = await postForm(server.uploadEndpoint, [
      ...Object.entries(fields),
      ['fileName', 'kept.jpg'],
      ['useUniqueFileName', 'false'],
      ['tags', 'a'],
      ['file', new Blob([jpeg]), 'kept.jpg'],
    ])
    expect(first.status).toBe(200)
    await server.close()

    server = await start(dataDir)
    // The delivery URL's port changed with the restart; the path did not.
    const served = await fetch(`${server.urlEndpoint}/kept.jpg`)
    expect(served.status).toBe(200)
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(jpeg)
    const reused = await postForm(server.uploadEndpoint, [
      ...Object.entries(fields),
      ['fileName', 'again.jpg'],
      ['file', new Blob([jpeg]), 'again.jpg'],
    ])
    expect(reused).toMatchObject({
      status: 400,
      body: { message: tokenUsed(fields.token as string), help: HELP },
    })
    const second = await postForm(server.uploadEndpoint, [
      ...Object.entries(await authFields()),
      ['fileName', 'kept.jpg'],
      ['useUniqueFileName', 'false'],
      ['file', new Blob([jpeg]), 'kept.jpg'],
    ])
    expect(second.body).toMatchObject({ fileId: first.body.fileId, versionInfo: { name: 'Version 2' } })
  })

  it('generate dev keys on first start, store them, and reuse them', async () => {
    const dataDir = tempDataDir()
    dirs.push(dataDir)
    const first = await start(dataDir, false)
    expect(first.keysCreated).toBe(true)
    expect(first.publicKey).toMatch(/^public_dev_[A-Za-z0-9_-]{20,}$/)
    expect(first.privateKey).toMatch(/^private_dev_[A-Za-z0-9_-]{20,}$/)
    const file = join(dataDir, 'keys.json')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      publicKey: first.publicKey,
      privateKey: first.privateKey,
    })
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const { publicKey, privateKey } = first
    await first.close()
    const second = await start(dataDir, false)
    expect(second).toMatchObject({ publicKey, privateKey, keysCreated: false })
    // GET / tells the public key and endpoints, never the private key.
    const info = await (await fetch(second.url)).text()
    expect(JSON.parse(info)).toMatchObject({
      publicKey,
      uploadEndpoint: second.uploadEndpoint,
      urlEndpoint: second.urlEndpoint,
    })
    expect(info).not.toContain(privateKey)
  })

  it('a second data folder is a different account', async () => {
    const a = tempDataDir()
    const b = tempDataDir()
    dirs.push(a, b)
    const one = await start(a, false)
    const keyA = one.publicKey
    await one.close()
    const two = await start(b, false)
    expect(two.publicKey).not.toBe(keyA)
  })
})
