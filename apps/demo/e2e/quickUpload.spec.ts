import { expect, test } from '@playwright/test'
import sharp from 'sharp'
import { openDemo, shownResponse } from './demoPage'
import { makeJpeg } from './makeJpeg'

test('uploads a real JPEG through IKUpload; the gallery shows it at the measured size, with a smaller thumbnail', async ({
  page,
  request,
}) => {
  const photo = await makeJpeg('harbour.jpg', 1200, 800)
  await openDemo(page, '/')
  await page.getByLabel('Upload a file').setInputFiles(photo)

  await expect(page.getByTestId('response-json')).toContainText('"fileType": "image"')
  const result = await shownResponse(page)
  expect(result).toMatchObject({ width: 1200, height: 800, size: photo.buffer.length, fileType: 'image' })
  expect(result.name).toMatch(/^harbour_[A-Za-z0-9_-]{9}\.jpg$/)

  await page.getByRole('link', { name: /Gallery/ }).click()
  const card = page.getByTestId('gallery-card').filter({ hasText: String(result.name) })
  await expect(card.getByTestId('dimensions')).toHaveText('1200 × 800 px')
  const original = card.locator('img[data-variant="original"]')
  await expect(original).toHaveAttribute('width', '1200')
  await expect(original).toHaveAttribute('height', '800')
  await expect.poll(() => original.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1200)

  // The thumbnail the gallery shows, and the one the response names, are both smaller images.
  const thumbnail = card.locator('img[data-variant="thumbnail"]')
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
  expect(await thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeLessThan(1200)
  const served = await request.get(String(result.thumbnailUrl))
  expect(served.status()).toBe(200)
  const thumb = await sharp(await served.body()).metadata()
  expect(thumb.width).toBeLessThan(1200)
  expect(thumb.height).toBeLessThan(800)
  expect((await served.body()).length).toBeLessThan(photo.buffer.length)

  // The `tr:w-240,h-160` resize is served at that size.
  const resized = card.locator('img[data-variant="resized"]')
  await expect
    .poll(() => resized.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
    .toEqual([240, 160])
})
