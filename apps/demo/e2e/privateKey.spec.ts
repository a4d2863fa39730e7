import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { openDemo } from './demoPage'
import { makeJpeg } from './makeJpeg'
import { stack } from './stack'

test('the built demo’s assets contain no private key', async () => {
  const { distDir, privateKey, publicKey } = stack()
  const files = (await readdir(distDir, { recursive: true, withFileTypes: true })).filter((entry) =>
    entry.isFile(),
  )
  expect(files.length).toBeGreaterThan(0)
  let publicKeySeen = false
  for (const entry of files) {
    const text = await readFile(join(entry.parentPath, entry.name), 'latin1')
    expect(text, `${entry.name} holds the private key`).not.toContain(privateKey)
    publicKeySeen ||= text.includes(publicKey)
  }
  // The build this run serves is the one scanned: its config (the public key) is baked in.
  expect(publicKeySeen).toBe(true)
})

test('nothing the browser receives carries the private key, even while uploading', async ({ page }) => {
  const { privateKey, demoUrl } = stack()
  const bodies: { url: string; body: string }[] = []
  page.on('response', async (response) => {
    if (response.url().startsWith(demoUrl.replace(/\/$/, '')))
      bodies.push({
        url: response.url(),
        body: (await response.body().catch(() => Buffer.alloc(0))).toString('latin1'),
      })
  })
  await openDemo(page, '/')
  await page.getByLabel('Upload a file').setInputFiles(await makeJpeg('audit.jpg', 300, 200))
  await expect(page.getByTestId('response-json')).toBeVisible()
  for (const route of ['/queue', '/options', '/gallery']) await openDemo(page, route)

  expect(bodies.some(({ url }) => url.includes('/api/auth'))).toBe(true)
  for (const { url, body } of bodies) expect(body, `${url} holds the private key`).not.toContain(privateKey)
})
