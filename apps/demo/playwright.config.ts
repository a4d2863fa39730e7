import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium'

/**
 * Browser tests of the demo against the local upload server, in Debian's Chromium (Playwright
 * cannot download its own browser here). e2e/globalSetup.ts builds the demo and starts both
 * servers on free ports with a temporary data folder.
 */
export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/globalSetup.ts',
  // One worker: the machine has two cores, and the tests share one local server.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 15_000 },
  outputDir: './test-results',
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
})
