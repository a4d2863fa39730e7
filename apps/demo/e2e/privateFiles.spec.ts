import { expect, test } from '@playwright/test'
import sharp from 'sharp'
import { openDemo, shownResponse } from './demoPage'
import { makeJpeg } from './makeJpeg'

test('a private file is refused at its plain URL and served at the signed URL the backend made', async ({
  page,
  request,
}) => {
  await openDemo(page, '/options')
  await page.getByRole('radiogroup', { name: 'isPrivateFile' }).getByLabel('true', { exact: true }).check()
  await page.getByLabel('Upload with these options').setInputFiles(await makeJpeg('secret.jpg', 500, 400))
  await expect(page.getByTestId('response-json')).toBeVisible()
  const result = await shownResponse(page)

  const plain = await request.get(String(result.url))
  expect(plain.status()).toBe(401)

  await page.getByRole('link', { name: /Gallery/ }).click()
  const card = page.getByTestId('gallery-card').filter({ hasText: String(result.name) })
  await expect(card.getByText('private', { exact: true })).toBeVisible()
  const original = card.locator('img[data-variant="original"]')
  await expect.poll(() => original.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(500)

  const signedUrl = String(await original.getAttribute('src'))
  expect(signedUrl).toContain(String(result.filePath))
  expect(signedUrl).toMatch(/[?&]ik-s=[0-9a-f]{40}/)
  const signed = await request.get(signedUrl)
  expect(signed.status()).toBe(200)
  expect((await sharp(await signed.body()).metadata()).width).toBe(500)

  // Its thumbnail is signed too (the signature covers the tr: segment), and a tampered one fails.
  const thumbnailUrl = String(await card.locator('img[data-variant="thumbnail"]').getAttribute('src'))
  expect((await request.get(thumbnailUrl)).status()).toBe(200)
  expect((await request.get(thumbnailUrl.replace('n-ik_ml_thumbnail', 'w-10'))).status()).toBe(401)
})
