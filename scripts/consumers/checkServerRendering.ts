import { randomUUID } from 'node:crypto'
import { copyFileSync, mkdirSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { build } from 'esbuild'
import { type Browser, chromium } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from '../chromium'
import { exec, tail } from './exec'
import { expect, runCheck } from './runCheck'

/** A scratch app with one React installed, and the version it must report. */
export interface ReactApp {
  /** `18.3.1` or `19.3.1`. */
  react: string
  dir: string
}

const FIXTURES = ['tree.mjs', 'ssr.mjs', 'client.mjs']

/** What the page server saw: the auth and upload requests a working `IKUpload` makes. */
interface Seen {
  auth: number
  uploads: string[]
}

/**
 * Serves one page on loopback: the server-rendered markup with the client bundle, plus a stand-in
 * auth endpoint and upload API, so that a file picked in the hydrated `IKUpload` goes all the way.
 */
async function servePage(bundle: string) {
  let html = ''
  const seen: Seen = { auth: 0, uploads: [] }
  const json = (response: ServerResponse, body: unknown) =>
    response
      .writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
      .end(JSON.stringify(body))
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    if (path === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html)
    } else if (path === '/client.js') {
      response.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle)
    } else if (path === '/auth') {
      seen.auth++
      // The signature is never checked here: this upload API is a stand-in that records the body.
      json(response, {
        token: randomUUID(),
        expire: Math.floor(Date.now() / 1000) + 600,
        signature: 'f'.repeat(40),
      })
    } else if (path === '/api/v1/files/upload' && request.method === 'POST') {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      seen.uploads.push(Buffer.concat(chunks).toString('latin1'))
      json(response, {
        fileId: '0123456789abcdef01234567',
        name: 'consumer.txt',
        size: 17,
        filePath: '/consumer.txt',
        url: `http://${request.headers.host}/ik/consumer.txt`,
        fileType: 'non-image',
        AITags: null,
      })
    } else {
      response.writeHead(404).end()
    }
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    seen,
    setMarkup: (markup: string) => {
      html =
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><link rel="icon" href="data:,">' +
        `<title>SSR</title></head>\n<body><div id="root">${markup}</div>` +
        '<script type="module" src="/client.js"></script></body>\n</html>\n'
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  }
}

/** Server-renders the page in plain Node, with the app's React, and checks the markup. */
async function renderOnServer(app: ReactApp, origin: string): Promise<string> {
  const ran = await exec(process.execPath, ['consumer/ssr.mjs'], {
    cwd: app.dir,
    env: { ...process.env, IK_ORIGIN: origin },
    timeoutMs: 60_000,
  })
  expect(ran.code === 0, `node ssr.mjs exited ${ran.code}\n${tail(ran.output)}`)
  const { version, html, logged } = JSON.parse(ran.stdout) as {
    version: string
    html: string
    logged: string[]
  }
  expect(version === app.react, `rendered with React ${version}, expected ${app.react}`)
  expect(logged.length === 0, `React logged while rendering:\n${logged.join('\n')}`)
  for (const part of [
    'id="ik-upload"',
    'type="file"',
    'id="ik-dropzone"',
    'Choose files',
    'aria-live="polite"',
  ])
    expect(html.includes(part), `the markup lacks ${part}:\n${html}`)
  return html
}

/**
 * Hydrates the server's markup in Chromium and drives the result: no console error or warning, no
 * page error, no recoverable error; then a file picked in `IKUpload` reaches the upload API, which
 * only happens if hydration attached React's handlers.
 */
async function hydrateInBrowser(
  browser: Browser,
  page: Awaited<ReturnType<typeof servePage>>,
): Promise<string> {
  const context = await browser.newContext()
  try {
    const tab = await context.newPage()
    const problems: string[] = []
    tab.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console.${message.type()}: ${message.text()}`)
    })
    tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    await tab.goto(page.origin)
    await tab.waitForFunction('globalThis.__ikHydrated === true', null, { timeout: 30_000 })
    problems.push(
      ...((await tab.evaluate('globalThis.__ikRecoverable')) as string[]).map(
        (text) => `recoverable: ${text}`,
      ),
    )
    expect(problems.length === 0, problems.join('\n'))

    const input = tab.locator('#ik-upload')
    expect(await input.isEnabled(), 'the IKUpload input is disabled after hydration')
    await input.setInputFiles({
      name: 'consumer.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hydrated upload\n'),
    })
    await tab.waitForFunction('globalThis.__ikEvents.length > 0', null, { timeout: 30_000 })
    const events = (await tab.evaluate('globalThis.__ikEvents')) as Array<{ kind: string; detail: string }>
    expect(events[0]?.kind === 'success', `the upload ended with ${JSON.stringify(events)}`)
    expect(
      page.seen.auth === 1 &&
        page.seen.uploads.length === 1 &&
        page.seen.uploads[0]?.includes('hydrated upload'),
      `the stand-in API saw ${page.seen.auth} auth and ${page.seen.uploads.length} upload requests`,
    )
    expect(problems.length === 0, problems.join('\n'))
    return 'no warnings; a picked file was uploaded through the hydrated input'
  } finally {
    await context.close()
  }
}

/**
 * Server rendering with each React: `renderToString` of IKContext + IKUpload + IKDropzone in plain
 * Node, then hydration of that markup in Chromium with a client bundle esbuild makes from the same
 * scratch app (React's development build, which reports every mismatch).
 */
export async function checkServerRendering(apps: ReactApp[]): Promise<void> {
  let browser: Browser | undefined
  try {
    for (const app of apps) {
      const major = app.react.split('.')[0]
      const dir = join(app.dir, 'consumer')
      mkdirSync(dir, { recursive: true })
      for (const file of FIXTURES) copyFileSync(join(import.meta.dirname, 'app', file), join(dir, file))
      const bundled = await build({
        entryPoints: [join(dir, 'client.mjs')],
        absWorkingDir: app.dir,
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        write: false,
        logLevel: 'silent',
        define: { 'process.env.NODE_ENV': '"development"' },
      })
      const page = await servePage(bundled.outputFiles.map((file) => file.text).join('\n'))
      try {
        const html = await runCheck(`SSR: renderToString in Node with React ${app.react}`, async () => {
          const markup = await renderOnServer(app, page.origin)
          return { note: `${markup.length} chars of markup, nothing logged`, markup }
        })
        await runCheck(`SSR: hydration in Chromium with React ${major}, no warnings`, async () => {
          expect(html, 'no server markup to hydrate (the renderToString check failed)')
          page.setMarkup(html.markup)
          browser ??= await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
          return hydrateInBrowser(browser, page)
        })
      } finally {
        await page.close()
      }
    }
  } finally {
    await browser?.close()
  }
}
