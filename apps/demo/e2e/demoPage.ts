import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, type Locator, type Page } from '@playwright/test'
import { stack } from './stack'

/** Opens a page of the demo (`/`, `/queue`, `/options`, `/gallery`). */
export async function openDemo(page: Page, route = '/'): Promise<void> {
  await page.goto(`${stack().demoUrl.replace(/\/$/, '')}/#${route}`)
  await page.getByRole('navigation', { name: 'Pages' }).waitFor()
}

/**
 * Slows the page's uploads to `bytesPerSecond` with Chromium's own network emulation, so progress
 * can be watched and a cancel lands mid-upload however fast the machine is.
 */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  })
}

declare global {
  interface Window {
    progressSeen?: number[]
  }
}

/**
 * Records every value any progress bar shows, from the first render on: a MutationObserver sees
 * each committed DOM change, so no value is missed between two polls of the test.
 */
export async function recordProgressValues(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: number[] = []
    window.progressSeen = seen
    const scan = () => {
      for (const bar of document.querySelectorAll('[role="progressbar"]'))
        seen.push(Number(bar.getAttribute('aria-valuenow')))
    }
    new MutationObserver(scan).observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['aria-valuenow'],
    })
  })
}

/** The progress values recorded by `recordProgressValues`. */
export function progressValues(page: Page): Promise<number[]> {
  return page.evaluate(() => window.progressSeen ?? [])
}

/** The response JSON the demo shows for the latest upload. */
export async function shownResponse(page: Page): Promise<Record<string, unknown>> {
  return JSON.parse(String(await page.getByTestId('response-json').textContent()))
}

/** How many file versions the local server holds on disk (one blob each under `files/`). */
export async function storedBlobCount(): Promise<number> {
  return (await readdir(join(stack().dataDir, 'files'), { recursive: true, withFileTypes: true })).filter(
    (entry) => entry.isFile(),
  ).length
}

/** Presses Tab (or Shift+Tab, `backwards`) until `target` has focus; fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, max = 40, backwards = false): Promise<void> {
  for (let presses = 0; presses < max; presses++) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
  }
  await expect(target).toBeFocused()
}

/**
 * Makes the local server unreachable for this page, as a stopped server would be: every request
 * to its origin fails with a refused connection. Returns the function that brings it back.
 */
export async function stopServerForPage(page: Page): Promise<() => Promise<void>> {
  const origin = new URL(stack().uploadEndpoint).origin
  const matcher = (url: URL) => url.origin === origin
  await page.route(matcher, (route) => route.abort('connectionrefused'))
  return () => page.unroute(matcher)
}

declare global {
  interface Window {
    announced?: string[]
  }
}

/** Records every text any `role="status"` region shows, as a screen reader would hear them. */
export async function recordAnnouncements(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const heard: string[] = []
    window.announced = heard
    new MutationObserver(() => {
      for (const region of document.querySelectorAll('[role="status"], [aria-live]')) {
        const text = region.textContent?.trim()
        if (text && heard.at(-1) !== text && !heard.includes(text)) heard.push(text)
      }
    }).observe(document, { subtree: true, childList: true, characterData: true })
  })
}

/** The announcements `recordAnnouncements` heard. */
export function announcements(page: Page): Promise<string[]> {
  return page.evaluate(() => window.announced ?? [])
}
