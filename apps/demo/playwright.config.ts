import { defineConfig } from '@playwright/test'

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
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      // Quiet on a closed network: no background calls to Google's hosts, no first-run UI.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
})
