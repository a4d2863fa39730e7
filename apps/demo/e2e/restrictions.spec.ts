import { expect, type Locator, type Page, test } from '@playwright/test'
import sharp from 'sharp'
import { expectNoAxeViolations } from './axe'
import { openDemo, throttleUploads } from './demoPage'
import { makeJpeg, type TestFile } from './makeJpeg'
import { stack } from './stack'

/** A PNG of one colour (small on disk), or of noise (large). */
async function makePng(name: string, width: number, height: number, noisy = false): Promise<TestFile> {
  const image = noisy
    ? sharp(
        Buffer.alloc(width * height * 3).map(() => Math.floor(Math.random() * 256)),
        {
          raw: { width, height, channels: 3 },
        },
      )
    : sharp({ create: { width, height, channels: 3, background: { r: 20, g: 140, b: 90 } } })
  return { name, mimeType: 'image/png', buffer: await image.png().toBuffer() }
}

/** The upload and auth requests the page makes from now on. */
function recordSent(page: Page): string[] {
  const sent: string[] = []
  page.on('request', (request) => {
    if (request.url() === stack().uploadEndpoint || request.url().includes('/api/auth'))
      sent.push(request.url())
  })
  return sent
}

test('the restrictions panel drives the drop zone: the hint is written from the options, and files that break them are refused before sending', async ({
  page,
}) => {
  await openDemo(page, '/queue')
  const hint = page.getByTestId('dropzone-hint')
  await expect(hint).toHaveText(
    'Paste works too, anywhere on this page. Up to 25 MB each. 3 upload at a time.',
  )

  await page.locator('#restriction-accept').fill('image/png')
  await page.locator('#restriction-maxFileSize').fill('0.05')
  await page.locator('#restriction-maxFiles').fill('2')
  await page.locator('#restriction-minWidth').fill('500')
  await expect(hint).toHaveText(
    'Paste works too, anywhere on this page. Only image/png. Up to 51 KB each, at most 2 files. ' +
      'Images at least 500 × any px. 3 upload at a time.',
  )

  const sent = recordSent(page)
  const input = page.locator('input[type="file"]')
  await input.setInputFiles([
    await makeJpeg('wrong-type.jpg', 600, 600),
    await makePng('too-narrow.png', 300, 600),
    await makePng('too-heavy.png', 600, 600, true),
  ])
  const items = page.getByTestId('queue-item')
  await expect(items).toHaveCount(3)
  for (const item of await items.all()) {
    await expect(item).toHaveAttribute('data-status', 'error')
    await expect(item.locator('.queue-error')).not.toBeEmpty()
    // A refusal would only be refused again: Remove, no Retry.
    await expect(item.getByRole('button', { name: /^Retry/ })).toHaveCount(0)
  }
  await expectNoAxeViolations(page, 'queue, refused by restrictions')
  await page.getByRole('button', { name: 'Clear' }).click()

  // maxFiles: of three good files at once, the third is refused.
  const good = await Promise.all(['one.png', 'two.png', 'three.png'].map((name) => makePng(name, 600, 600)))
  await input.setInputFiles(good)
  await expect(items.filter({ hasText: 'one.png' })).toHaveAttribute('data-status', 'success')
  await expect(items.filter({ hasText: 'two.png' })).toHaveAttribute('data-status', 'success')
  await expect(items.filter({ hasText: 'three.png' })).toHaveAttribute('data-status', 'error')
  expect(sent.filter((url) => url === stack().uploadEndpoint)).toHaveLength(2)
  await expectNoAxeViolations(page, 'queue, done and refused')
})

test('a file pasted anywhere on the queue page is uploaded once, whether focus is in the drop zone or not', async ({
  page,
}) => {
  await openDemo(page, '/queue')
  const photo = await makeJpeg('pasted.jpg', 320, 240)
  const paste = (where: Locator | null) =>
    page.evaluate(
      ([bytes, selector]) => {
        const transfer = new DataTransfer()
        transfer.items.add(new File([new Uint8Array(bytes)], 'pasted.jpg', { type: 'image/jpeg' }))
        const target = (selector && document.querySelector(selector)) || document.body
        target.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
        )
      },
      [[...photo.buffer], where ? '.dropzone > button' : null] as const,
    )
  // Focus on nothing in particular: the page body.
  await page.locator('h1').click()
  await paste(null)
  const items = page.getByTestId('queue-item')
  await expect(items).toHaveCount(1)
  await expect(items.first()).toHaveAttribute('data-status', 'success')
  // Inside the drop zone, its own handler takes it, and the page's does not take it again.
  await paste(page.locator('.dropzone > button'))
  await expect(items).toHaveCount(2)
  await expect(items.nth(1)).toHaveAttribute('data-status', 'success')
})

/** Whether two boxes share any pixel. */
const overlap = (a: DOMRect, b: DOMRect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

for (const width of [320, 390])
  test(`at ${width} px queue rows wrap: name, status, size and buttons never overlap, and the total progress bar stays`, async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width, height: 844 })
    await openDemo(page, '/queue')
    // Over 30 s per file: both still upload while the rows are measured (Cancel all ends them).
    await throttleUploads(page, 32 * 1024)
    const names = ['IMG_20261130_094512_from_the_phone_camera.jpg', 'short.jpg']
    await page
      .locator('input[type="file"]')
      .setInputFiles(await Promise.all(names.map((name) => makeJpeg(name, 900, 900, { noisy: true }))))
    for (const name of names) await expect(page.getByRole('button', { name: `Cancel ${name}` })).toBeVisible()

    for (const row of await page.getByTestId('queue-item').all()) {
      const boxes = await row.evaluate((element) =>
        [
          '.queue-name',
          '[data-testid="queue-status"]',
          '.queue-meta',
          '.queue-actions button',
          '[role="progressbar"]',
        ].flatMap((selector) =>
          [...element.querySelectorAll(selector)].map((part) => ({
            selector,
            box: part.getBoundingClientRect().toJSON() as DOMRect,
          })),
        ),
      )
      const name = boxes.find((part) => part.selector === '.queue-name')?.box as DOMRect
      expect(name.width, 'the name keeps its width').toBeGreaterThan(100)
      for (const [i, a] of boxes.entries())
        for (const b of boxes.slice(i + 1))
          expect(overlap(a.box, b.box), `${a.selector} overlaps ${b.selector} at ${width} px`).toBe(false)
    }
    const total = page.getByRole('progressbar', { name: 'Queue progress' })
    await expect(total).toBeVisible()
    expect((await total.boundingBox())?.width).toBeGreaterThan(100)
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    ).toBe(0)
    await page.screenshot({ path: testInfo.outputPath(`queue-uploading-${width}.png`), fullPage: true })
    await expectNoAxeViolations(page, `queue at ${width} px, uploading`)
    await page.getByRole('button', { name: 'Cancel all' }).click()
  })

test('on a phone, the Options page’s Send is on the first screen and stays in reach down the form', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await openDemo(page, '/options')
  const send = page.getByLabel('Upload with these options')
  const box = await send.boundingBox()
  expect(box && box.y + box.height).toBeLessThanOrEqual(844)
  await page.locator('#option-checks').scrollIntoViewIfNeeded()
  await expect(send).toBeInViewport()
  await page.screenshot({ path: testInfo.outputPath('options-scrolled-390.png') })
})
