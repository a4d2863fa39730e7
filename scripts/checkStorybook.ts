/**
 * Runs every story of the built Storybook (`storybook-static`) in headless Chromium, play function
 * included, and fails unless each one finishes with success and axe-core finds no accessibility
 * violation in what it shows at the end. The vitest run covers the stories in happy-dom; this covers
 * what only a browser has: msw's service worker, served from the static build, answering the uploads
 * and the image deliveries with no network (the mock's hosts are under `.test`, which never
 * resolves), and real layout and colours for axe. Then each Docs page must render without an error,
 * with a props table, and with no axe violation in its stories; how many props rows have a
 * description and a default is printed.
 *
 *   tsx scripts/checkStorybook.ts [--screenshots <dir>]
 *
 * Uses Debian's Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium); nothing is downloaded.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, resolve } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from './chromium'

const ROOT = resolve(import.meta.dirname, '../storybook-static')
const screenshotArg = process.argv.indexOf('--screenshots')
const SCREENSHOTS =
  screenshotArg > 0 ? resolve(process.argv[screenshotArg + 1] ?? 'storybook-screenshots') : undefined
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
}

if (!existsSync(join(ROOT, 'index.json')))
  throw new Error(`No ${ROOT}/index.json: run \`pnpm build-storybook\` first.`)

// A static server on loopback, as a host of the built Storybook would be.
const server = createServer((request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname))
  // Chromium asks every page for it; the build has an SVG icon only. An answer keeps a 404 out of
  // the console, where a Docs page must log no error.
  if (path === '/favicon.ico') {
    response.writeHead(204).end()
    return
  }
  let file = join(ROOT, path)
  if (!file.startsWith(ROOT) || !existsSync(file)) {
    response.writeHead(404).end()
    return
  }
  if (statSync(file).isDirectory()) file = join(file, 'index.html')
  response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
  createReadStream(file).pipe(response)
})
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const index = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8')) as {
  entries: Record<string, { id: string; type: string; title: string; name: string }>
}
const stories = Object.values(index.entries).filter((entry) => entry.type === 'story')
const docsPages = Object.values(index.entries).filter((entry) => entry.type === 'docs')

/** axe-core's browser build, injected into each story's page (the root's axe-core, no other wrapper). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
/**
 * Every rule axe runs by default (WCAG 2.x A and AA, and its best practices) but `region`: a story
 * is a fragment that an app places inside its own landmarks, so "content outside a landmark" is
 * true of every story and says nothing about the component.
 */
const AXE_OPTIONS = { rules: { region: { enabled: false } } }

/**
 * What axe-core finds wrong in the elements `selector` matches, one line per rule broken: the story's
 * root (`#storybook-root`), or on a Docs page each story's own element (`.sb-story`), not Storybook's
 * UI around it (its controls, its story frames: one that scrolls while an image arrives is no
 * fault of the story).
 */
async function axeViolations(page: Page, selector: string): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE })
  const { violations } = (await page.evaluate(
    `axe.run(${JSON.stringify(selector)}, ${JSON.stringify(AXE_OPTIONS)})`,
  )) as {
    violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]
  }
  return violations.map(
    ({ id, impact, help, nodes }) =>
      `axe ${id} (${impact}): ${help}: ${nodes.map((node) => node.target.join(' ')).join(', ')}`,
  )
}

/** Opens one story, waits for its render and play function to end, and lists what went wrong. */
async function runStory(page: Page, id: string): Promise<string[]> {
  await page.goto(`${origin}/iframe.html?id=${id}&viewMode=story`)
  // A failed beforeAll (no worker) ends nothing: it only emits configError.
  await page.waitForFunction('globalThis.__storyFinished || globalThis.__storyErrors.length', null, {
    timeout: 30_000,
  })
  const problems = (await page.evaluate('globalThis.__storyErrors')) as string[]
  if (problems.length) return problems
  const { status } = (await page.evaluate('globalThis.__storyFinished')) as { status: string }
  if (status !== 'success') problems.push(`finished with status ${status}`)
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller)))
    problems.push('no msw worker controls the page')
  // The images a story shows, delivered by the worker, must load too.
  await page.waitForFunction('[...document.images].every((image) => image.complete)', null, {
    timeout: 10_000,
  })
  const broken = await page.$$eval('img', (images) =>
    images.filter((image) => image.naturalWidth === 0).map((image) => image.src),
  )
  if (broken.length) problems.push(`images not delivered: ${broken.join(' ')}`)
  problems.push(...(await axeViolations(page, '#storybook-root')))
  return problems
}

/** Rows of a Docs page's props tables, how many have a description and a default, and which lack a description. */
interface TableCount {
  rows: number
  described: number
  defaulted: number
  undescribed: string[]
}

/** Opens one Docs page, waits for it to render, and lists what went wrong; counts its table rows. */
async function runDocs(page: Page, id: string): Promise<{ problems: string[]; count: TableCount }> {
  await page.goto(`${origin}/iframe.html?id=${id}&viewMode=docs`)
  await page.waitForFunction('globalThis.__docsRendered || globalThis.__storyErrors.length', null, {
    timeout: 30_000,
  })
  const problems = (await page.evaluate('globalThis.__storyErrors')) as string[]
  // Columns: name, description (with the type under it), default, control (where there is one).
  // A string, for the same reason as the init script below.
  const count = (await page.evaluate(`{
    const rows = [...document.querySelectorAll('.docblock-argstable tbody tr')]
      .map((row) => [...row.querySelectorAll('td')])
      .filter((cells) => cells.length >= 3)
    ;({
      rows: rows.length,
      // The description cell holds the description's block, then the type's; the type's alone when none.
      described: rows.filter((cells) => cells[1].children.length > 1).length,
      defaulted: rows.filter((cells) => !['', '-'].includes(cells[2].textContent.trim())).length,
      undescribed: rows.filter((cells) => cells[1].children.length < 2).map((cells) => cells[0].textContent),
    })
  }`)) as TableCount
  if (!count.rows) problems.push('no props table')
  // Several stories at once: what one story alone cannot show (e.g. two landmarks of one name).
  problems.push(...(await axeViolations(page, '.docs-story .sb-story')))
  return { problems, count }
}

const browser = await chromium.launch({
  executablePath: chromiumPath(),
  args: CHROMIUM_ARGS,
})
const failures: string[] = []
try {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } })
  // Storybook's preview reports on its channel, to the manager only, how a story went: wrap the
  // channel's emit as it is created, before any story can finish. A failed play function does not
  // make `storyFinished` say "error" (the preview sets throwPlayFunctionExceptions: false), so the
  // exception events are collected too. (A string: tsx would wrap named functions in a `__name`
  // helper that the page does not have.)
  await page.addInitScript(`{
    let channel
    globalThis.__storyErrors = []
    const FAILURES = [
      'configError',
      'playFunctionThrewException',
      'storyThrewException',
      'storyErrored',
      'unhandledErrorsWhilePlaying',
    ]
    Object.defineProperty(globalThis, '__STORYBOOK_ADDONS_CHANNEL__', {
      configurable: true,
      get: () => channel,
      set(value) {
        const emit = value.emit.bind(value)
        value.emit = (event, ...args) => {
          if (event === 'storyFinished') globalThis.__storyFinished = args[0]
          if (event === 'docsRendered') globalThis.__docsRendered = true
          if (FAILURES.includes(event)) globalThis.__storyErrors.push(event + ': ' + (args[0]?.message ?? JSON.stringify(args[0])))
          emit(event, ...args)
        }
        channel = value
      },
    })
  }`)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
  // Which request a "Failed to load resource" was about (the console message does not say).
  page.on('requestfailed', (request) =>
    errors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  )
  for (const story of stories) {
    errors.length = 0
    const started = Date.now()
    let problems: string[]
    try {
      problems = await runStory(page, story.id)
    } catch (error) {
      problems = [`did not finish: ${(error as Error).message.split('\n')[0]}`]
    }
    console.log(
      `${problems.length ? 'FAIL' : 'ok  '} ${story.title} › ${story.name} (${Date.now() - started} ms)`,
    )
    // Console errors hold whole DOM dumps: their first line says enough.
    if (problems.length)
      failures.push([story.id, ...problems, ...errors].map((line) => line.split('\n')[0]).join('\n  '))
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true })
      await page.screenshot({ path: join(SCREENSHOTS, `${story.id}.png`) })
    }
  }
  // Docs pages at a desktop size, as they are read; the stories alone were checked at 800 px.
  await page.setViewportSize({ width: 1280, height: 800 })
  for (const docs of docsPages) {
    // Leave the page before first: requests of the one before (a Docs page's lazy images) that the
    // navigation cuts off fail then, not during the next page's check.
    await page.goto('about:blank')
    errors.length = 0
    let problems: string[]
    let count: TableCount | undefined
    try {
      ;({ problems, count } = await runDocs(page, docs.id))
    } catch (error) {
      problems = [`did not render: ${(error as Error).message.split('\n')[0]}`]
    }
    problems.push(...errors)
    const table = count
      ? `${count.rows} props, ${count.described} described, ${count.defaulted} with a default${
          count.undescribed.length ? `; no JSDoc: ${count.undescribed.join(', ')}` : ''
        }`
      : ''
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${docs.title} › Docs (${table})`)
    if (problems.length) failures.push([docs.id, ...problems].map((line) => line.split('\n')[0]).join('\n  '))
  }
} finally {
  await browser.close()
  server.close()
}

if (failures.length) {
  console.error(
    `\n${failures.length} of ${stories.length} stories and ${docsPages.length} Docs pages failed in Chromium:\n${failures.join('\n')}`,
  )
  process.exit(1)
}
console.log(
  `\nAll ${stories.length} stories passed in Chromium, served offline by msw's worker, with no axe violation; all ${docsPages.length} Docs pages rendered.`,
)
