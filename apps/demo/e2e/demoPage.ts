import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
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
