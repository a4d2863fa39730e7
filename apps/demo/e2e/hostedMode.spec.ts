import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { shownResponse } from './demoPage'
import { makeJpeg } from './makeJpeg'
import { type NodeProcess, spawnNode } from './spawnNode'

// Hosted ImageKit is out of reach here, so the local server's CLI stands in for it, started with the
// account's keys; what is under test is the demo's hosted mode: `pnpm dev` with IMAGEKIT_* set.
const account = {
  publicKey: 'public_hosted_e2e',
  privateKey: `private_hosted_${randomBytes(16).toString('hex')}`,
}
let imagekit: NodeProcess
let demo: NodeProcess
let dataDir: string
let demoUrl: string
let urlEndpoint: string

test.beforeAll(async () => {
  test.setTimeout(180_000)
  dataDir = await mkdtemp(join(tmpdir(), 'ik-upload-e2e-hosted-'))
  imagekit = await spawnNode(
    '../../packages/local-server/src/cli.ts',
    [
      '--port',
      '0',
      '--data',
      dataDir,
      '--public-key',
      account.publicKey,
      '--private-key',
      account.privateKey,
    ],
    { ready: /listening on http/, label: 'imagekit stand-in' },
  )
  const origin = String(imagekit.readyLine.match(/(http\S+)/)?.[1])
  urlEndpoint = `${origin}/ik`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    IMAGEKIT_PUBLIC_KEY: account.publicKey,
    IMAGEKIT_PRIVATE_KEY: account.privateKey,
    IMAGEKIT_URL_ENDPOINT: urlEndpoint,
    IMAGEKIT_UPLOAD_ENDPOINT: `${origin}/api/v1/files/upload`,
  }
  delete env.IK_LOCAL_PRIVATE_KEY
  // The dev server this time (no --preview): the mode `pnpm dev` runs in.
  demo = await spawnNode('scripts/dev.ts', ['--json', '--port', '0'], {
    env,
    ready: /^\{/,
    label: 'demo, hosted mode',
  })
  demoUrl = JSON.parse(demo.readyLine).demoUrl
})

test.afterAll(async () => {
  await Promise.all([demo?.stop(), imagekit?.stop()])
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

test('with IMAGEKIT_* keys, pnpm dev signs on its backend, uploads there, and the browser never gets the private key', async ({
  page,
  request,
}) => {
  const bodies: { url: string; body: string }[] = []
  page.on('response', async (response) => {
    if (response.url().startsWith(demoUrl))
      bodies.push({
        url: response.url(),
        body: (await response.body().catch(() => Buffer.alloc(0))).toString('latin1'),
      })
  })
  await page.goto(`${demoUrl}#/options`)
  await expect(page.locator('.mode-pill')).toHaveText('ImageKit')
  await page.getByRole('radiogroup', { name: 'isPrivateFile' }).getByLabel('true', { exact: true }).check()
  await page.getByLabel('Upload with these options').setInputFiles(await makeJpeg('hosted.jpg', 320, 240))
  await expect(page.getByTestId('response-json')).toBeVisible()
  const result = await shownResponse(page)
  expect(String(result.url).startsWith(`${urlEndpoint}/`)).toBe(true)
  expect((await request.get(String(result.url))).status()).toBe(401)

  // The card's image is signed by the demo backend with IMAGEKIT_PRIVATE_KEY, and it loads.
  const original = page.getByTestId('gallery-card').locator('img[data-variant="original"]')
  await expect.poll(() => original.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320)

  expect(bodies.some(({ url }) => url.includes('/api/auth'))).toBe(true)
  expect(bodies.some(({ url }) => url.includes('/api/signed-url'))).toBe(true)
  for (const { url, body } of bodies)
    expect(body, `${url} holds the private key`).not.toContain(account.privateKey)
})
