import { expect, type Page, test } from '@playwright/test'
import { expectNoAxeViolations } from './axe'
import { openDemo } from './demoPage'

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
  test(`every page fits ${width} px without sideways scrolling and has no axe violations, empty`, async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width, height: 844 })
    for (const { route, name } of PAGES) {
      await openDemo(page, route)
      await expect(page.locator('.mode-pill')).toHaveAttribute('data-state', 'up')
      expect(await sidewaysScroll(page), `${name} at ${width} px`).toBe(0)
      if ([390, 768, 1280].includes(width))
        await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true })
      await expectNoAxeViolations(page, `${name} at ${width} px, empty`)
    }
  })
