import { expect, type Page, test } from '@playwright/test'
import { expectNoAxeViolations } from './axe'
import { openDemo, shownResponse } from './demoPage'
import { makeJpeg } from './makeJpeg'
import { stack } from './stack'

/** Sets a three-way boolean option of the panel: `not sent`, `true` or `false`. */
async function setFlag(page: Page, name: string, value: 'not sent' | 'true' | 'false') {
  await page.getByRole('radiogroup', { name }).getByLabel(value, { exact: true }).check()
}

declare global {
  interface Window {
    sentForms?: [string, string][][]
  }
}

/**
 * Records every FormData the page hands to `XMLHttpRequest.send`, as `[name, value]` pairs (a file
 * part as `<file name>`). Chromium does not expose multipart bodies with files to Playwright, so the
 * request is read where the browser takes it, right before it is serialized onto the wire.
 */
async function recordSentForms(page: Page) {
  await page.addInitScript(() => {
    const forms: [string, string][][] = []
    window.sentForms = forms
    const send = XMLHttpRequest.prototype.send
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
      if (body instanceof FormData)
        forms.push(
          [...body].map(([name, value]) => [
            name,
            typeof value === 'string' ? value : `<file ${value.name}>`,
          ]),
        )
      return send.call(this, body)
    }
  })
}

test('sends exactly the fields the options panel shows, and the server applies them', async ({ page }) => {
  await recordSentForms(page)
  await openDemo(page, '/options')
  await page.locator('#option-fileName').fill('poster final.jpg')
  await page.locator('#option-folder').fill('/campaigns/2026')
  await page.locator('#option-tags').fill('summer, beach')
  await page.locator('#option-customCoordinates').fill('10,10,100,100')
  await page.locator('#option-customMetadata').fill('{"brand": "acme"}')
  await page.locator('#option-description').fill('The summer poster')
  await setFlag(page, 'useUniqueFileName', 'false')
  await setFlag(page, 'isPublished', 'true')
  await page.getByLabel('tags', { exact: true }).check()
  await page.getByLabel('customCoordinates', { exact: true }).check()

  // What the panel says will go on the wire (the protocol's own encoding).
  const rows = page.getByRole('table', { name: 'Multipart fields' }).locator('tr[data-field]')
  const shown: Record<string, string> = {}
  for (const row of await rows.all())
    shown[String(await row.getAttribute('data-field'))] = String(
      await row.getByTestId('wire-value').textContent(),
    )
  expect(shown).toEqual({
    fileName: 'poster final.jpg',
    useUniqueFileName: 'false',
    tags: 'summer,beach',
    folder: '/campaigns/2026',
    customCoordinates: '10,10,100,100',
    responseFields: 'tags,customCoordinates',
    isPublished: 'true',
    description: 'The summer poster',
    customMetadata: '{"brand":"acme"}',
  })

  await page.getByLabel('Upload with these options').setInputFiles(await makeJpeg('poster.jpg', 400, 300))
  await expect.poll(() => page.evaluate(() => window.sentForms?.length)).toBe(1)
  const pairs = (await page.evaluate(() => window.sentForms?.[0])) ?? []
  const fields = Object.fromEntries(pairs)
  const { publicKey, signature, expire, token, file, ...options } = fields
  expect(options).toEqual(shown)
  expect(publicKey).toBe(stack().publicKey)
  expect(signature).toMatch(/^[0-9a-f]{40}$/)
  expect(Number(expire)).toBeGreaterThan(Date.now() / 1000)
  expect(token).toBeTruthy()
  expect(file).toBe('<file poster final.jpg>')
  // The file part is the last one, so a streaming server judges the fields first.
  expect(pairs.at(-1)?.[0]).toBe('file')
  expect(pairs).toHaveLength(Object.keys(fields).length)

  await expect(page.getByTestId('response-json')).toBeVisible()
  expect(await shownResponse(page)).toMatchObject({
    name: 'poster_final.jpg',
    filePath: '/campaigns/2026/poster_final.jpg',
    tags: ['summer', 'beach'],
    customCoordinates: '10,10,100,100',
  })
  await expectNoAxeViolations(page, 'options, done')
})

test('shows the server’s error message and help when it refuses an upload', async ({ page }) => {
  await openDemo(page, '/options')
  await page.locator('#option-checks').fill('"file.size" < "1kb"')
  await page.getByLabel('Upload with these options').setInputFiles(await makeJpeg('too-big.jpg', 800, 600))

  const alert = page.getByTestId('error-callout')
  await expect(alert.getByTestId('error-message')).toHaveText("Your request failed 'checks' validation.")
  await expect(alert.getByTestId('error-help')).toHaveText(
    'For support kindly contact us at support@imagekit.io .',
  )
  await expect(alert).toContainText('HTTP 400')
  await expectNoAxeViolations(page, 'options, refused by the server')
})

test('refuses an invalid option locally, with the server’s message, before sending', async ({ page }) => {
  const sent: string[] = []
  page.on('request', (request) => {
    if (request.url() === stack().uploadEndpoint) sent.push(request.url())
  })
  await openDemo(page, '/options')
  await page.locator('#option-tags').fill('50%off')
  await expect(page.getByText('The kit will refuse this before sending')).toBeVisible()
  await page.getByLabel('Upload with these options').setInputFiles(await makeJpeg('sale.jpg', 200, 200))
  await expect(page.getByTestId('error-message')).toHaveText(
    'Your request contains invalid value for tags parameter.',
  )
  expect(sent).toEqual([])
  await expectNoAxeViolations(page, 'options, refused locally')
})
