import { readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, type Page, test } from '@playwright/test'
import { expectNoAxeViolations } from './axe'
import { openDemo, progressValues, recordProgressValues, storedBlobCount, throttleUploads } from './demoPage'
import { makeJpeg } from './makeJpeg'
import { stack } from './stack'

test('uploads several files at once and shows their progress while they go', async ({ page }) => {
  const files = await Promise.all(
    ['dune.jpg', 'fjord.jpg', 'mesa.jpg'].map((name) => makeJpeg(name, 700, 700, { noisy: true })),
  )
  await recordProgressValues(page)
  await openDemo(page, '/queue')
  // About 1.5 s for the three: long enough for many progress events, whatever the machine.
  await throttleUploads(page, 1024 * 1024)
  await page.locator('input[type="file"]').setInputFiles(files)

  const items = page.getByTestId('queue-item')
  await expect(items).toHaveCount(3)
  for (const file of files)
    await expect(items.filter({ hasText: file.name })).toHaveAttribute('data-status', 'success', {
      timeout: 30_000,
    })
  const seen = await progressValues(page)
  expect(
    seen.some((value) => value > 0 && value < 100),
    `progress values seen: ${seen.join(',')}`,
  ).toBe(true)
  await expectNoAxeViolations(page, 'queue, done')

  await page.getByRole('link', { name: /Gallery/ }).click()
  for (const file of files)
    await expect(
      page.getByTestId('gallery-card').filter({ hasText: file.name.replace('.jpg', '_') }),
    ).toHaveCount(1)
})

test('cancels an upload mid-way: the request is cut and nothing is stored', async ({ page }) => {
  const big = await makeJpeg('avalanche.jpg', 1400, 1400, { noisy: true })
  const before = await storedBlobCount()
  await openDemo(page, '/queue')
  // At 128 KB/s the 2 MB body takes about 16 s: the cancel always lands mid-way.
  await throttleUploads(page, 128 * 1024)
  const failed = page.waitForEvent('requestfailed', (request) => request.url() === stack().uploadEndpoint)
  await page.locator('input[type="file"]').setInputFiles(big)

  const item = page.getByTestId('queue-item').filter({ hasText: 'avalanche.jpg' })
  const bar = item.getByRole('progressbar')
  await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0)
  expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(100)
  await item.getByRole('button', { name: 'Cancel avalanche.jpg' }).click()

  await expect(item).toHaveAttribute('data-status', 'aborted')
  await expect(item.getByText('cancelled')).toBeVisible()
  await failed
  // The server saw the body end early: no new version, nothing left half-written.
  await expect.poll(storedBlobCount).toBe(before)
  await expect.poll(() => readdir(join(stack().dataDir, 'tmp'))).toEqual([])
  await expect(item.getByRole('button', { name: 'Retry avalanche.jpg' })).toBeVisible()
})

// The spec's message, or the kit's actionable one (the file's size and the limit): either says why.
const FILE_TOO_LARGE = /The file size exceeds limits\.|huge\.jpg is 26(\.0)? MB; the limit is 25 MB\./

// A 26 MB file on disk (Playwright hands Chromium the path; it is read lazily, so it must stay).
const hugeFile = join(tmpdir(), `ik-e2e-${process.pid}-huge.jpg`)
test.beforeAll(() => writeFile(hugeFile, Buffer.alloc(26 * 1024 * 1024, 0xff)))
test.afterAll(() => rm(hugeFile, { force: true }))

/** Picks the 26 MB file in the queue; returns its item and the auth/upload requests the page made. */
async function pickHugeFile(page: Page) {
  const sent: string[] = []
  page.on('request', (request) => {
    if (request.url() === stack().uploadEndpoint || request.url().includes('/api/auth'))
      sent.push(request.url())
  })
  await openDemo(page, '/queue')
  await page.locator('input[type="file"]').setInputFiles(hugeFile)
  return { item: page.getByTestId('queue-item').filter({ hasText: 'huge.jpg' }), sent }
}

test('refuses a 26 MB file before anything is sent', async ({ page }) => {
  const { item, sent } = await pickHugeFile(page)
  await expect(item).toHaveAttribute('data-status', 'error')
  await expect(page.getByTestId('error-callout').getByTestId('error-message')).not.toBeEmpty()
  // Retrying would only be refused again: the item offers Remove, not Retry.
  await expect(item.getByRole('button', { name: /Remove/ })).toBeVisible()
  await expect(item.getByRole('button', { name: /Retry/ })).toHaveCount(0)
  expect(sent).toEqual([])
  await expectNoAxeViolations(page, 'queue, refused before sending')
})

test('refuses a 26 MB file with a message that says why', async ({ page }) => {
  const { item } = await pickHugeFile(page)
  await expect(item).toContainText(FILE_TOO_LARGE, { timeout: 5000 })
  await expect(page.getByTestId('error-message')).toHaveText(FILE_TOO_LARGE, { timeout: 5000 })
})

test('uploads through IKDropzone with the keyboard only', async ({ page }) => {
  const photo = await makeJpeg('keyboard.jpg', 640, 480)
  await openDemo(page, '/queue')
  const dropzoneButton = page.getByRole('button', { name: /Drop files here/ })
  // Tab from the top of the page until the dropzone's button has focus: no mouse anywhere.
  for (let presses = 0; presses < 20; presses++) {
    if (await dropzoneButton.evaluate((button) => button === document.activeElement)) break
    await page.keyboard.press('Tab')
  }
  await expect(dropzoneButton).toBeFocused()
  const chooser = page.waitForEvent('filechooser')
  await page.keyboard.press('Enter')
  await (await chooser).setFiles(photo)

  const item = page.getByTestId('queue-item').filter({ hasText: 'keyboard.jpg' })
  await expect(item).toHaveAttribute('data-status', 'success')
  await expect(page.getByRole('status').filter({ hasText: '1 file uploaded.' })).toBeAttached()
})
