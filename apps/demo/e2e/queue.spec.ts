import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
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
  await throttleUploads(page, 256 * 1024)
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
  await expect(item.getByRole('button', { name: 'Retry avalanche.jpg' })).toBeVisible()
})

test('refuses a 26 MB file with the spec’s message before anything is sent', async ({ page }) => {
  const path = join(tmpdir(), `ik-e2e-${process.pid}-huge.jpg`)
  await writeFile(path, Buffer.alloc(26 * 1024 * 1024, 0xff))
  const sent: string[] = []
  page.on('request', (request) => {
    if (request.url() === stack().uploadEndpoint || request.url().includes('/api/auth'))
      sent.push(request.url())
  })
  await openDemo(page, '/queue')
  await page.locator('input[type="file"]').setInputFiles(path)

  const item = page.getByTestId('queue-item').filter({ hasText: 'huge.jpg' })
  await expect(item).toHaveAttribute('data-status', 'error')
  await expect(item).toContainText(
    'Your request contains invalid file parameter. The file size exceeds limits.',
  )
  await expect(page.getByTestId('error-message')).toHaveText(
    'Your request contains invalid file parameter. The file size exceeds limits.',
  )
  expect(sent).toEqual([])
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
