import { expect, test } from '@playwright/test'
import { expectNoAxeViolations } from './axe'
import { openDemo, shownResponse, stopServerForPage } from './demoPage'
import { makeJpeg } from './makeJpeg'
import { stack } from './stack'

test('the header’s server badge goes red while the server is unreachable and green when it returns', async ({
  page,
}) => {
  const badge = page.locator('.mode-pill')
  const restart = await stopServerForPage(page)
  await openDemo(page, '/queue')
  await expect(badge).toHaveAttribute('data-state', 'down')
  await expect(badge).toHaveText(`local server unreachable · ${new URL(stack().uploadEndpoint).host}`)
  await expectNoAxeViolations(page, 'queue, server unreachable')
  await restart()
  await expect(badge).toHaveAttribute('data-state', 'up')
  await expect(badge).toHaveText(`local server · ${new URL(stack().uploadEndpoint).host}`)
})

test('a row waiting to retry says so with the seconds left, then the retry goes through', async ({
  page,
}) => {
  // The server is busy once (503, asking for 3 s), then answers: the wait is the server's, not the
  // machine's speed, and the retry needs no timing from the test.
  let refused = 0
  await page.route(stack().uploadEndpoint, (route) => {
    if (route.request().method() !== 'POST' || refused++ > 0) return route.fallback()
    return route.fulfill({
      status: 503,
      headers: {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Expose-Headers': 'Retry-After',
        'Content-Type': 'application/json',
        'Retry-After': '3',
      },
      body: JSON.stringify({ message: 'Busy, try again shortly.' }),
    })
  })
  await openDemo(page, '/queue')
  await page.locator('input[type="file"]').setInputFiles(await makeJpeg('patient.jpg', 400, 300))
  const item = page.getByTestId('queue-item').filter({ hasText: 'patient.jpg' })
  await expect(item.getByTestId('queue-status')).toHaveText(/^retrying in [1-3] s$/)
  await expect(item).toContainText('attempt 1 failed')
  await expect(item).not.toContainText('uploading')
  await page.screenshot({ path: test.info().outputPath('queue-retry-wait-1280.png') })
  await expectNoAxeViolations(page, 'queue, waiting to retry')
  await expect(item).toHaveAttribute('data-status', 'success')
  expect(refused).toBe(2)
})

test('a queue upload that fails for good on an unreachable server is announced without a URL', async ({
  page,
}) => {
  await openDemo(page, '/queue')
  await stopServerForPage(page)
  await page.locator('input[type="file"]').setInputFiles(await makeJpeg('doomed.jpg', 300, 200))
  const item = page.getByTestId('queue-item').filter({ hasText: 'doomed.jpg' })
  // Two retries with backoff (about 1 s, then 2 s), then it fails for good.
  // While it waits to retry, the header already says the server is unreachable.
  await expect(item.getByTestId('queue-status')).toHaveText(/^retrying in \d+ s$/)
  await expect(page.locator('.mode-pill')).toHaveAttribute('data-state', 'down')
  await expect(item).toHaveAttribute('data-status', 'error', { timeout: 20_000 })
  const region = page.getByRole('status').filter({ hasText: 'failed' })
  await expect(region).toContainText('1 file failed')
  expect(await region.textContent()).not.toMatch(/https?:|127\.0\.0\.1/)
  await expectNoAxeViolations(page, 'queue, failed, server unreachable')
})

test('a failed upload is shown on its page only, and announced without the URL', async ({ page }) => {
  // The upload server refuses with a message that names a URL: the page shows it, but a screen
  // reader hears words, not characters of an address.
  await page.route(stack().uploadEndpoint, (route) =>
    route.fulfill({
      status: 400,
      headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: `Refused by ${stack().uploadEndpoint} for this test.` }),
    }),
  )
  await openDemo(page, '/')
  await page.getByLabel('Upload a file').setInputFiles(await makeJpeg('refused.jpg', 300, 200))
  const callout = page.getByTestId('error-callout')
  await expect(callout.getByTestId('error-message')).toHaveText(
    `Refused by ${stack().uploadEndpoint} for this test.`,
  )
  await expect(page.getByTestId('upload-announcement')).toHaveText(
    'refused.jpg failed: Refused by the server for this test.',
  )
  await page.screenshot({ path: test.info().outputPath('quick-start-failed-1280.png') })
  await expectNoAxeViolations(page, 'quick start, failed')

  // Another page's response panel is its own: empty, not the quick start's error.
  await page.getByRole('link', { name: 'Options' }).click()
  const panel = page.getByTestId('response-panel')
  await expect(panel).toContainText('Upload a file here to see what the server answers.')
  await expect(panel.getByTestId('error-callout')).toHaveCount(0)
})

test('the gallery tells a server that is down from a file that is not on it, and reloads when the server returns', async ({
  page,
}) => {
  await openDemo(page, '/')
  await page.getByLabel('Upload a file').setInputFiles(await makeJpeg('kept.jpg', 600, 400))
  await expect(page.getByTestId('response-json')).toBeVisible()
  const kept = await shownResponse(page)
  // An entry whose file the server never had (as after wiping the server's data folder).
  await page.evaluate((key) => {
    const entries = JSON.parse(localStorage.getItem(key) ?? '[]')
    const ghost = structuredClone(entries[0])
    Object.assign(ghost.result, { fileId: 'ghost', name: 'ghost.jpg', filePath: '/ghost.jpg' })
    localStorage.setItem(key, JSON.stringify([ghost, ...entries]))
  }, `ik-upload-demo:gallery:${stack().urlEndpoint}`)

  await openDemo(page, '/gallery')
  // A hash change keeps the page's state; a reload reads the gallery from storage.
  await page.reload()
  const ghost = page.getByTestId('gallery-card').filter({ hasText: 'ghost.jpg' })
  const real = page.getByTestId('gallery-card').filter({ hasText: String(kept.name) })
  await expect(ghost.getByTestId('image-failure').first()).toHaveAttribute('data-reason', 'missing')
  await expect(ghost.getByTestId('image-failure').first()).toHaveText('not on the server')
  const realImage = real.locator('img[data-variant="responsive"]')
  await expect.poll(() => realImage.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
  await expectNoAxeViolations(page, 'gallery, with cards')

  const restart = await stopServerForPage(page)
  await page.reload()
  await expect(real.getByTestId('image-failure').first()).toHaveAttribute('data-reason', 'down')
  await expect(real.getByTestId('image-failure').first()).toContainText('server unreachable')
  await page.screenshot({ path: test.info().outputPath('gallery-server-down-1280.png'), fullPage: true })
  await expectNoAxeViolations(page, 'gallery, server unreachable')

  await restart()
  await expect.poll(() => realImage.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
  await expect(ghost.getByTestId('image-failure').first()).toHaveAttribute('data-reason', 'missing')
})
