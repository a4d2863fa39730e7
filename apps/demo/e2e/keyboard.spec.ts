import { expect, test } from '@playwright/test'
import { expectNoAxeViolations } from './axe'
import { announcements, openDemo, recordAnnouncements, tabTo, throttleUploads } from './demoPage'
import { makeJpeg } from './makeJpeg'
import { stack } from './stack'

test('the skip link is the first Tab stop, shows when focused, and moves focus to the page', async ({
  page,
}) => {
  await openDemo(page, '/queue')
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Enter')
  await expect(page.locator('main')).toBeFocused()
  // The route did not change, and the next Tab lands inside the page, past the header.
  expect(new URL(page.url()).hash).toBe('#/queue')
  await page.keyboard.press('Tab')
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true)
})

test('focus is a ring that hover never shows', async ({ page }) => {
  await openDemo(page, '/gallery')
  const button = page.getByRole('link', { name: 'Quick start' }).first()
  await button.hover()
  expect(await button.evaluate((element) => getComputedStyle(element).outlineStyle)).toBe('none')
  await tabTo(page, button)
  expect(await button.evaluate((element) => getComputedStyle(element).outlineStyle)).toBe('solid')

  // IKUpload's input too (its own text is hidden, so the ring is round its button).
  await openDemo(page, '/')
  const input = page.getByLabel('Upload a file')
  const ring = () => input.evaluate((element) => getComputedStyle(element).outlineStyle)
  await input.hover()
  expect(await ring()).toBe('none')
  await tabTo(page, input)
  expect(await ring()).toBe('solid')
  await page.screenshot({ path: test.info().outputPath('quick-start-input-focused.png') })
})

test('the request preview’s tabs follow the ARIA tabs pattern: one Tab stop, arrows move and select', async ({
  page,
}) => {
  await openDemo(page, '/options')
  const list = page.getByRole('tablist', { name: 'Request view' })
  const fields = list.getByRole('tab', { name: 'multipart fields' })
  const jsx = list.getByRole('tab', { name: 'JSX' })
  await tabTo(page, fields, 80)
  await expect(fields).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('tabpanel', { name: 'multipart fields' })).toBeVisible()

  await page.keyboard.press('ArrowRight')
  await expect(jsx).toBeFocused()
  await expect(jsx).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('tabpanel', { name: 'JSX' })).toContainText('<IKUpload')
  // One Tab stop: the next Tab leaves the tab list for the panel's code block.
  await page.keyboard.press('Tab')
  await expect(page.getByRole('region', { name: 'JSX of this upload' })).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expect(jsx).toBeFocused()
  await page.keyboard.press('ArrowRight')
  await expect(fields).toBeFocused()
  await page.keyboard.press('End')
  await expect(jsx).toBeFocused()
  await page.keyboard.press('Home')
  await expect(fields).toHaveAttribute('aria-selected', 'true')
  await expectNoAxeViolations(page, 'options, JSX tab')
})

test('after Cancel, Retry or Remove takes its button away, focus goes to the next sensible button, by keyboard alone', async ({
  page,
}) => {
  const files = await Promise.all(
    ['first.jpg', 'second.jpg'].map((name) => makeJpeg(name, 1000, 1000, { noisy: true })),
  )
  await openDemo(page, '/queue')
  // Over 45 s per 1.5 MB file, longer than the test: every press below lands while both still
  // upload, however slow the machine (Cancel all ends them).
  await throttleUploads(page, 32 * 1024)
  const dropzoneButton = page.getByRole('button', { name: /Drop files here/ })
  await tabTo(page, dropzoneButton)
  const chooser = page.waitForEvent('filechooser')
  await page.keyboard.press('Enter')
  await (await chooser).setFiles(files)

  const cancelFirst = page.getByRole('button', { name: 'Cancel first.jpg' })
  await expect(cancelFirst).toBeVisible()
  await tabTo(page, cancelFirst)
  await page.keyboard.press('Enter')
  // Cancel became Retry and Remove: focus is on Retry, in the same row.
  const retryFirst = page.getByRole('button', { name: 'Retry first.jpg' })
  await expect(retryFirst).toBeFocused()
  await expectNoAxeViolations(page, 'queue, one cancelled while the other uploads')

  await page.keyboard.press('Enter')
  // Retry became Cancel.
  await expect(cancelFirst).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(retryFirst).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: 'Remove first.jpg' })).toBeFocused()
  await page.keyboard.press('Enter')
  // The row is gone: focus is on the row that took its place.
  await expect(page.getByTestId('queue-item').filter({ hasText: 'first.jpg' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Cancel second.jpg' })).toBeFocused()

  // Cancel all, then Clear: the list empties and focus returns to the drop zone's button.
  await tabTo(page, page.getByRole('button', { name: 'Cancel all' }), 10, true)
  await page.keyboard.press('Enter')
  await expect(page.getByRole('button', { name: 'Clear' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('queue-item')).toHaveCount(0)
  await expect(dropzoneButton).toBeFocused()
})

test('IKUpload shows its file’s progress beside it, cancels by keyboard, and announces in words', async ({
  page,
}) => {
  await recordAnnouncements(page)
  const photo = await makeJpeg('slow.jpg', 1000, 1000, { noisy: true })
  await openDemo(page, '/')
  // Over 45 s for the 1.5 MB file: the Cancel below always lands mid-way.
  await throttleUploads(page, 32 * 1024)
  const failed = page.waitForEvent('requestfailed', (request) => request.url() === stack().uploadEndpoint)
  const input = page.getByLabel('Upload a file')
  await tabTo(page, input)
  const chooser = page.waitForEvent('filechooser')
  await page.keyboard.press('Space')
  await (await chooser).setFiles(photo)

  const status = page.getByTestId('upload-status')
  await expect(status).toContainText('slow.jpg')
  await expect
    .poll(async () => Number(await status.getByRole('progressbar').getAttribute('aria-valuenow')))
    .toBeGreaterThan(0)
  await expectNoAxeViolations(page, 'quick start, uploading')
  await page.keyboard.press('Tab')
  await expect(page.getByRole('button', { name: 'Cancel slow.jpg' })).toBeFocused()
  await page.keyboard.press('Enter')
  await failed
  await expect(status).toHaveAttribute('data-status', 'aborted')
  await expect(status).toContainText('cancelled')
  // The Cancel button is gone: focus is back on the input.
  await expect(input).toBeFocused()
  await expect(page.getByTestId('upload-announcement')).toHaveText('slow.jpg cancelled.')
  const heard = await announcements(page)
  expect(heard).toContain('Uploading slow.jpg, 0% done.')
  // Progress is announced in steps of 25%, never at every percent.
  for (const text of heard.filter((line) => line.startsWith('Uploading slow.jpg')))
    expect(text).toMatch(/, (0|25|50|75)% done\.$/)
})

test('the quick start announces success in words, without a URL', async ({ page }) => {
  await recordAnnouncements(page)
  await openDemo(page, '/')
  await page.getByLabel('Upload a file').setInputFiles(await makeJpeg('spoken.jpg', 300, 200))
  await expect(page.getByTestId('upload-announcement')).toHaveText('spoken.jpg uploaded.')
  for (const text of await announcements(page)) expect(text).not.toMatch(/https?:/)
  await expectNoAxeViolations(page, 'quick start, done')
})

test('after Forget all empties the gallery, focus goes to the empty state’s first link', async ({ page }) => {
  await openDemo(page, '/')
  await page.getByLabel('Upload a file').setInputFiles(await makeJpeg('forgotten.jpg', 300, 200))
  await expect(page.getByTestId('response-json')).toBeVisible()
  await openDemo(page, '/gallery')
  const forget = page.getByRole('button', { name: 'Forget all' })
  await tabTo(page, forget)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('gallery-card')).toHaveCount(0)
  await expect(page.getByTestId('gallery-empty').getByRole('link', { name: 'Quick start' })).toBeFocused()
  await expectNoAxeViolations(page, 'gallery, emptied')
})
