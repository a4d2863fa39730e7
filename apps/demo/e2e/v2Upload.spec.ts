import { expect, test } from '@playwright/test'
import { expectNoAxeViolations } from './axe'
import { openDemo, shownResponse } from './demoPage'
import { makeJpeg } from './makeJpeg'
import { stack } from './stack'

// What the demo's backend (server/demoBackend.ts, demoV2Authorize) does with every v2 upload.
const BACKEND_FOLDER = '/v2-demo'
const BACKEND_TAG = 'signed-by-backend'

test('a v2 upload is stored in the folder the backend signed, not the one the page asked for', async ({
  page,
  request,
}) => {
  const v2Endpoint = stack().uploadEndpoint.replace('/api/v1/', '/api/v2/')
  await openDemo(page, '/options')
  await page.getByRole('radiogroup', { name: 'Signing' }).getByLabel('v2', { exact: true }).check()

  // The preview shows v2's request: one token from the v2 auth route, no v1 auth fields.
  const preview = page.getByRole('table', { name: 'Multipart fields' })
  await expect(page.locator('.wire-url')).toContainText(v2Endpoint)
  const names = await preview.locator('th').allTextContents()
  expect(names).toContain('token')
  expect(names.filter((name) => ['publicKey', 'signature', 'expire'].includes(name))).toEqual([])
  await expect(preview.locator('tr', { has: page.locator('th', { hasText: /^token$/ }) })).toContainText(
    '/api/auth/v2',
  )

  await page.locator('#option-folder').fill('/elsewhere')
  await page.locator('#option-tags').fill('mine')
  await page.getByLabel('tags', { exact: true }).check()

  const asked = page.waitForRequest((sent) => sent.url().endsWith('/api/auth/v2') && sent.method() === 'POST')
  const uploaded = page.waitForResponse((answer) => answer.url() === v2Endpoint)
  const file = await makeJpeg('cat.jpg', 320, 240)
  await page.getByLabel('Upload with these options').setInputFiles(file)

  // The page asked for /elsewhere; the backend signed its own folder and added its tag.
  expect((await asked).postDataJSON()).toEqual({
    fields: { fileName: 'cat.jpg', tags: 'mine', folder: '/elsewhere', responseFields: 'tags' },
  })
  const answer = await uploaded
  expect(answer.status()).toBe(200)
  const result = (await answer.json()) as { filePath: string; name: string; tags: string[] }
  expect(result.filePath).toBe(`${BACKEND_FOLDER}/${result.name}`)
  expect(result.tags).toEqual(['mine', BACKEND_TAG])
  await expect(page.getByTestId('response-json')).toBeVisible()
  expect(await shownResponse(page)).toMatchObject({ filePath: result.filePath })

  // The stored file really is there: the local server delivers it from the backend's folder only.
  const delivered = await request.get(`${stack().urlEndpoint}${result.filePath}`)
  expect(delivered.status()).toBe(200)
  expect(Buffer.compare(await delivered.body(), file.buffer)).toBe(0)
  expect((await request.get(`${stack().urlEndpoint}/elsewhere/${result.name}`)).status()).toBe(404)

  // The signed payload: what was asked beside what the backend signed and the page sent.
  const signed = page.getByRole('table', { name: 'Signed fields' })
  const folder = signed.locator('tr[data-field="folder"]')
  await expect(folder.getByRole('cell').first()).toHaveText('/elsewhere')
  await expect(folder.getByTestId('signed-value')).toHaveText(BACKEND_FOLDER)
  await expect(folder).toContainText('changed by the backend')
  await expect(signed.locator('tr[data-field="tags"]').getByTestId('signed-value')).toHaveText(
    `mine,${BACKEND_TAG}`,
  )
  await expect(signed.locator('tr[data-field="fileName"]')).not.toHaveAttribute('data-change')
  await expect(page.getByTestId('signed-fields')).not.toContainText(stack().privateKey)
  await expectNoAxeViolations(page, 'options, v2 upload done')
  // The signed payload table on a phone and in the dark theme: no sideways scroll, no violations.
  await page.emulateMedia({ colorScheme: 'dark' })
  for (const width of [320, 390]) {
    await page.setViewportSize({ width, height: 844 })
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow, `sideways scroll at ${width} px`).toBe(0)
  }
  await expectNoAxeViolations(page, 'options, v2 upload done, dark, 390 px')

  // Back to v1: the preview shows v1's auth fields and URL again.
  await page.getByRole('radiogroup', { name: 'Signing' }).getByLabel('v1', { exact: true }).check()
  await expect(preview.locator('th', { hasText: /^publicKey$/ })).toBeVisible()
  await expect(page.locator('.wire-url')).toContainText(stack().uploadEndpoint)
})
