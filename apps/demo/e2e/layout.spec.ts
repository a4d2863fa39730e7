import { expect, type Page, test } from '@playwright/test'
import { expectNoAxeViolations } from './axe'
import { openDemo } from './demoPage'
import { makeJpeg } from './makeJpeg'

const PAGES = [
  { route: '/', name: 'quick-start' },
  { route: '/queue', name: 'queue' },
  { route: '/options', name: 'options' },
  { route: '/gallery', name: 'gallery' },
]

/** How far the page scrolls sideways: 0 when nothing is wider than the window. */
const sidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

for (const width of [320, 390, 768, 1280, 1440])
  test(`every page fits ${width} px without sideways scrolling${[390, 768, 1280].includes(width) ? ' and has no axe violations, empty' : ''}`, async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width, height: 844 })
    for (const { route, name } of PAGES) {
      await openDemo(page, route)
      await expect(page.locator('.mode-pill')).toHaveAttribute('data-state', 'up')
      expect(await sidewaysScroll(page), `${name} at ${width} px`).toBe(0)
      // Screenshots and axe at the three review widths; 320 and 1440 check the fit only (axe's
      // rules do not change with the width, and each run costs a second on a loaded machine).
      if (![390, 768, 1280].includes(width)) continue
      await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true })
      await expectNoAxeViolations(page, `${name} at ${width} px, empty`)
    }
  })

for (const width of [320, 390])
  test(`with an upload shown, the quick start and the gallery fit ${width} px and have no axe violations`, async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width, height: 844 })
    await openDemo(page, '/')
    await page
      .getByLabel('Upload a file')
      .setInputFiles(await makeJpeg('a_photo_with_a_rather_long_name_from_a_phone.jpg', 1200, 800))
    await expect(page.getByTestId('response-json')).toBeVisible()
    await expect(page.getByTestId('upload-status')).toHaveAttribute('data-status', 'success')
    expect(await sidewaysScroll(page), `quick start at ${width} px`).toBe(0)
    await page.screenshot({ path: testInfo.outputPath(`quick-start-done-${width}.png`), fullPage: true })
    await expectNoAxeViolations(page, `quick start at ${width} px, done`)

    await page.getByRole('link', { name: /Gallery/ }).click()
    await expect(page.getByTestId('gallery-card').first()).toBeVisible()
    expect(await sidewaysScroll(page), `gallery at ${width} px`).toBe(0)
    await page.screenshot({ path: testInfo.outputPath(`gallery-cards-${width}.png`), fullPage: true })
    await expectNoAxeViolations(page, `gallery at ${width} px, with a card`)
  })

test('in the dark theme every page, and an upload done and one refused, has no axe violations', async ({
  page,
}, testInfo) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  for (const { route, name } of PAGES) {
    await openDemo(page, route)
    await expect(page.locator('.mode-pill')).toHaveAttribute('data-state', 'up')
    await page.screenshot({ path: testInfo.outputPath(`dark-${name}-1280.png`), fullPage: true })
    await expectNoAxeViolations(page, `${name}, dark, empty`)
  }
  await openDemo(page, '/queue')
  await page.locator('#restriction-maxFileSize').fill('0.001')
  await page
    .locator('input[type="file"]')
    .setInputFiles([await makeJpeg('dark-refused.jpg', 400, 300), await makeJpeg('dark-ok.jpg', 20, 20)])
  await expect(page.getByTestId('queue-item').filter({ hasText: 'dark-refused.jpg' })).toHaveAttribute(
    'data-status',
    'error',
  )
  await expect(page.getByTestId('queue-item').filter({ hasText: 'dark-ok.jpg' })).toHaveAttribute(
    'data-status',
    'success',
  )
  await page.screenshot({ path: testInfo.outputPath('dark-queue-done-and-refused-1280.png'), fullPage: true })
  await expectNoAxeViolations(page, 'queue, dark, done and refused')
  await openDemo(page, '/gallery')
  await expect(page.getByTestId('gallery-card').first()).toBeVisible()
  await expectNoAxeViolations(page, 'gallery, dark, with a card')
})
