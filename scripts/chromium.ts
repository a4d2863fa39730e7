/**
 * How the project launches Debian's Chromium (Playwright cannot download its own browser here):
 * one place for the path and the flags, used by the demo's browser tests and the Storybook check.
 */

/** Debian's Chromium, unless `CHROMIUM_PATH` names another binary. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** Quiet on a closed network: no background calls to Google's hosts, no first-run work, no sandbox as root. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
