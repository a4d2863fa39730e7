// Browser upload benchmark (issue 11): headless Chromium uploads to the real local server, through a
// proxy that adds latency to every request, and the kit is timed against uploads written by hand.
//
//   pnpm bench:browser                 (= tsx bench/browser/run.mjs; tsx, to share scripts/chromium.ts)
//   pnpm bench:browser --rounds 3 --workload latency --source --json
//
// Options: --rounds N (5) measured rounds per workload, after --warmup N (1) unrecorded ones;
// --workload latency|loopback (both); --latency MS (50); --source bundles the page from the
// workspace's sources instead of the packed tarballs; --json prints every sample as JSON on stdout;
// --check exits 1 when a target is missed; --traces DIR keeps each row's Chromium trace (open it in
// Perfetto to see a long task). Progress goes to stderr.
//
// Rows (concurrency 3 everywhere): raw XHR (fetch a token, then upload, a pool of 3); raw XHR with
// each worker's next token fetched while its current file uploads (the ideal's practical bound);
// `createUploader` from @ik-upload/core; `useUpload` from @ik-upload/react rendering every item's
// progress bar (React 19, production build); `createUploader` with `signer: signV2`, when the core
// exports it and the local server answers v2 auth.
// Workloads: 100 × 10 KiB with +50 ms on every request (a proxy delays each answer's first byte),
// and 50 × 1 MiB straight to the server on loopback.
// Each round runs every row once, in an order rotated each round, so that a slow minute of this
// shared machine hits every row; the table shows medians. The ideal is ceil(files / 3) × one upload
// round trip with a token in hand, measured in each round. Main thread: Chromium's `toplevel` trace
// of the renderer during the row: busy time (sum of its tasks) and the longest task.
import { fork } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS, chromiumPath } from '../../scripts/chromium.ts'
import { buildPage, buildStalePackages } from './buildPage.mjs'
import { startLatencyProxy } from './latencyProxy.mjs'
import { mainThreadTasks } from './mainThreadTasks.mjs'

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    workload: { type: 'string' },
    latency: { type: 'string', default: '50' },
    source: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    traces: { type: 'string' },
  },
})
const ROUNDS = Number(args.rounds)
const WARMUP = Number(args.warmup)
const LATENCY = Number(args.latency)
const CONCURRENCY = 3
const log = (line) => process.stderr.write(`${line}\n`)

const KiB = 1024
const WORKLOADS = [
  {
    id: 'latency',
    title: `100 × 10 KiB, +${LATENCY} ms on every request`,
    count: 100,
    size: 10 * KiB,
    latencyMs: LATENCY,
  },
  { id: 'loopback', title: '50 × 1 MiB on loopback', count: 50, size: 1024 * KiB, latencyMs: 0 },
].filter((workload) => !args.workload || workload.id === args.workload)

const ROWS = [
  { id: 'rawXhr', label: 'raw XHR: fetch auth, then upload' },
  { id: 'rawXhrPrefetch', label: 'raw XHR, next token fetched during the upload' },
  { id: 'coreUploader', label: '`createUploader` (core)' },
  { id: 'coreUploaderNoPrefetch', label: '`createUploader`, `prefetch: 0`' },
  { id: 'useUploadList', label: '`useUpload` rendering the list (React 19)' },
  { id: 'coreUploaderV2', label: '`createUploader`, `signer: signV2`', v2: true },
]

/** Targets of issue 11, checked on the medians. */
const TARGETS = {
  idealRatio: 1.15,
  loopbackRatio: 1.05,
  longestTaskMs: 16,
}

const median = (values) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b)
  if (!sorted.length) return Number.NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

// ---------------------------------------------------------------------------------------------
// Setup: builds, the page bundle, the local server (child process), the proxies.

const started = performance.now()
const built = buildStalePackages(log)
const page = await buildPage({ source: args.source, log })
log(`page bundle: ${(page.code.length / 1024).toFixed(0)} KiB from ${page.from}`)

const dataDir = mkdtempSync(join(tmpdir(), 'ik-bench-browser-'))
const serverProcess = fork(join(import.meta.dirname, 'serverProcess.mjs'), [dataDir], {
  // The server runs from dist/ on plain Node, not under this process's tsx loader.
  execArgv: [],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
})
/** Sends a message to the server process and resolves with its next reply. */
const ask = (message) =>
  new Promise((resolve, reject) => {
    const onExit = (code) => reject(new Error(`the local server exited (${code})`))
    serverProcess.once('exit', onExit)
    serverProcess.once('message', (reply) => {
      serverProcess.off('exit', onExit)
      resolve(reply)
    })
    if (message) serverProcess.send(message)
  })
const { ready: server } = await ask()
// Two "network" hops, as in an app: the app's origin (the page, served at once, and its auth endpoint)
// and the upload server's origin. Auth is same-origin, as an app's backend route is (no CORS); uploads
// are cross-origin, as to ImageKit. The loopback workload skips the upload proxy (straight to the
// server); its auth goes through the app's proxy with no delay.
const html =
  '<!doctype html><meta charset="utf-8"><title>upload bench</title><div id="root"></div><script type="module" src="/page.js"></script>'
const app = await startLatencyProxy({
  target: server.url,
  delayMs: 0,
  serve(req, res) {
    if (req.url !== '/' && req.url !== '/page.js') return false
    const isScript = req.url === '/page.js'
    res.writeHead(200, { 'Content-Type': isScript ? 'text/javascript' : 'text/html' })
    res.end(isScript ? page.code : html)
    return true
  },
})
const uploads = await startLatencyProxy({ target: server.url, delayMs: 0 })

/** Does the local server sign v2 uploads (`POST /auth/v2`)? */
async function serverHasV2() {
  try {
    const response = await fetch(`${server.url}/auth/v2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ fields: { fileName: 'probe.bin' } }),
    })
    return response.ok && typeof (await response.json()).token === 'string'
  } catch {
    return false
  }
}

let browser
let chromiumVersion = ''
const results = []
try {
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  const tab = await browser.newPage()
  /** Rejects on the page's first uncaught error, so that a broken row stops the run instead of hanging it. */
  let failPage
  const pageFailed = new Promise((_, reject) => {
    failPage = reject
  })
  pageFailed.catch(() => {})
  tab.on('pageerror', (error) => failPage(new Error(`page error: ${error.message}`)))
  /** page.evaluate, bounded: a row that never ends (a lost upload) fails after `ms`. */
  const evaluate = (fn, arg, ms = 300_000) =>
    Promise.race([
      tab.evaluate(fn, arg),
      pageFailed,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer from the page in ${ms} ms`)), ms).unref(),
      ),
    ])
  await tab.goto(`${app.url}/`)
  await tab.waitForFunction(() => 'bench' in window)
  const cdp = await tab.context().newCDPSession(tab)

  const v2 = { core: await tab.evaluate(() => window.bench.hasV2()), server: await serverHasV2() }
  const rows = ROWS.filter((row) => !row.v2 || (v2.core && v2.server))
  if (!v2.core) log('v2 row skipped: @ik-upload/core exports no signV2 yet')
  else if (!v2.server) log('v2 row skipped: the local server does not answer POST /auth/v2 yet')
  log(
    `setup ${((performance.now() - started) / 1000).toFixed(1)} s${built.length ? ` (built ${built.join(', ')})` : ''}`,
  )

  // ---------------------------------------------------------------------------------------------
  // Measuring.

  let traceCount = 0
  if (args.traces) mkdirSync(args.traces, { recursive: true })

  /** Runs one row once: wall time (in the page), main-thread tasks (trace), requests (server log). */
  async function measure(row, cfg) {
    await ask('clear')
    await ask('counts')
    if (row.id === 'useUploadList') await evaluate((c) => window.bench.mountList(c), cfg)
    // Garbage of the previous row is not this row's cost.
    await cdp.send('HeapProfiler.collectGarbage')
    await browser.startTracing(tab, { categories: ['toplevel', 'blink.user_timing'] })
    let wallMs
    let trace
    try {
      wallMs = await evaluate(([id, c]) => window.bench.rows[id](c), [row.id, cfg])
    } finally {
      trace = await browser.stopTracing()
      if (args.traces) writeFileSync(join(args.traces, `${row.id}-${++traceCount}.json`), trace)
      if (row.id === 'useUploadList') await tab.evaluate(() => window.bench.unmountList())
    }
    const { counts } = await ask('counts')
    const authRequests = (counts['GET /auth'] ?? 0) + (counts['POST /auth/v2'] ?? 0)
    const uploads = (counts['POST /api/v1/files/upload'] ?? 0) + (counts['POST /api/v2/files/upload'] ?? 0)
    const preflights = Object.entries(counts)
      .filter(([key]) => key.startsWith('OPTIONS '))
      .reduce((sum, [, count]) => sum + count, 0)
    return { wallMs, ...mainThreadTasks(trace), authRequests, uploads, preflights, counts }
  }

  for (const workload of WORKLOADS) {
    app.setDelay(workload.latencyMs)
    uploads.setDelay(workload.latencyMs)
    const uploadBase = workload.latencyMs ? uploads.url : server.url
    const cfg = {
      publicKey: server.publicKey,
      authEndpoint: `${app.url}/auth`,
      uploadEndpoint: `${uploadBase}/api/v1/files/upload`,
      authEndpointV2: `${app.url}/auth/v2`,
      uploadEndpointV2: `${uploadBase}/api/v2/files/upload`,
    }
    await tab.evaluate(
      ([count, size]) => window.bench.makeFiles(count, size),
      [workload.count, workload.size],
    )
    log(`\n${workload.title}: ${WARMUP} warm-up + ${ROUNDS} rounds`)
    const samples = Object.fromEntries(rows.map((row) => [row.id, []]))
    const roundTrips = []
    for (let round = -WARMUP; round < ROUNDS; round++) {
      const roundTripMs = await evaluate((c) => window.bench.roundTrip(c), cfg)
      await ask('clear')
      // Rotated each round: every row runs first, second, ... equally often.
      const shift = ((round % rows.length) + rows.length) % rows.length
      const order = [...rows.slice(shift), ...rows.slice(0, shift)]
      const line = []
      const byRow = {}
      for (const row of order) {
        const sample = await measure(row, cfg)
        byRow[row.id] = sample
        line.push(`${row.id} ${(sample.wallMs / 1000).toFixed(2)} s`)
      }
      log(
        `${round < 0 ? 'warm-up' : `round ${round + 1}`}: rtt ${roundTripMs.toFixed(1)} ms, ${line.join(', ')}`,
      )
      if (round < 0) continue
      roundTrips.push(roundTripMs)
      const idealMs = Math.ceil(workload.count / CONCURRENCY) * roundTripMs
      for (const row of rows)
        samples[row.id].push({
          ...byRow[row.id],
          roundTripMs,
          idealMs,
          vsRaw: byRow[row.id].wallMs / byRow.rawXhr.wallMs,
          vsIdeal: byRow[row.id].wallMs / idealMs,
        })
    }
    const roundTripMs = median(roundTrips)
    results.push({
      workload,
      roundTripMs,
      idealMs: Math.ceil(workload.count / CONCURRENCY) * roundTripMs,
      rows: rows.map((row) => {
        const list = samples[row.id]
        const of = (key) => median(list.map((sample) => sample[key]))
        return {
          id: row.id,
          label: row.label,
          wallMs: of('wallMs'),
          // Medians of the per-round ratios: each ratio compares rows measured minutes apart at most.
          vsRaw: of('vsRaw'),
          vsIdeal: of('vsIdeal'),
          busyMs: of('busyMs'),
          busyCpuMs: of('busyCpuMs'),
          // The worst over the rounds: the target is that no task of the run goes over 16 ms.
          longestMs: Math.max(...list.map((sample) => sample.longestMs)),
          longestCpuMs: Math.max(...list.map((sample) => sample.longestCpuMs)),
          over16: list.reduce((sum, sample) => sum + sample.over16, 0),
          authRequests: of('authRequests'),
          uploads: of('uploads'),
          samples: list,
        }
      }),
    })
  }
  chromiumVersion = browser.version()
} finally {
  // Also after a failed row: nothing of the run is left running or on disk.
  await browser?.close()
  await app.close()
  await uploads.close()
  if (serverProcess.exitCode === null && serverProcess.signalCode === null) {
    const exited = new Promise((resolve) => serverProcess.once('exit', resolve))
    serverProcess.kill('SIGTERM')
    await exited
  }
  rmSync(dataDir, { recursive: true, force: true })
  for (const dir of page.scratch) rmSync(dir, { recursive: true, force: true })
}
const runtimeS = (performance.now() - started) / 1000

// ---------------------------------------------------------------------------------------------
// Report.

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`
const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–')
const msText = (ms) => `${ms.toFixed(0)} ms`

function table(result) {
  const { workload, roundTripMs, idealMs } = result
  const header = [
    'row',
    'wall',
    'vs raw XHR',
    'vs ideal',
    'main thread busy (CPU)',
    'longest task (CPU)',
    'auth req.',
  ]
  const lines = result.rows.map((row) => [
    row.label,
    seconds(row.wallMs),
    ratio(row.vsRaw),
    workload.latencyMs ? ratio(row.vsIdeal) : '–',
    `${msText(row.busyMs)} (${msText(row.busyCpuMs)})`,
    `${row.longestMs.toFixed(1)} ms (${row.longestCpuMs.toFixed(1)} ms)`,
    String(row.authRequests),
  ])
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)))
  const format = (cells) =>
    `| ${cells.map((cell, i) => (i ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')} |`
  const rule = `| ${widths.map((width, i) => (i ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`
  return [
    `**${workload.title}** (concurrency 3, medians of ${ROUNDS} rounds)`,
    '',
    format(header),
    rule,
    ...lines.map(format),
    '',
    workload.latencyMs
      ? `Ideal: ⌈${workload.count} / 3⌉ × one upload round trip = ${Math.ceil(workload.count / CONCURRENCY)} × ${roundTripMs.toFixed(1)} ms = ${seconds(idealMs)}.`
      : `One ${workload.size / KiB} KiB upload alone: ${roundTripMs.toFixed(1)} ms.`,
  ].join('\n')
}

/** The targets of issue 11, each with the figure that decides it. */
function verdicts() {
  const out = []
  for (const { workload, rows: list } of results) {
    for (const row of list) {
      if (workload.latencyMs && ['coreUploader', 'useUploadList', 'coreUploaderV2'].includes(row.id))
        out.push({
          target: `${workload.id}: ${row.label} wall ≤ ${TARGETS.idealRatio}× ideal`,
          value: ratio(row.vsIdeal),
          ok: row.vsIdeal <= TARGETS.idealRatio,
        })
      if (!workload.latencyMs && ['coreUploader', 'useUploadList'].includes(row.id))
        out.push({
          target: `${workload.id}: ${row.label} wall ≤ ${TARGETS.loopbackRatio}× raw XHR`,
          value: ratio(row.vsRaw),
          ok: row.vsRaw <= TARGETS.loopbackRatio,
        })
      if (['coreUploader', 'useUploadList', 'coreUploaderV2'].includes(row.id))
        out.push({
          target: `${workload.id}: ${row.label} no main-thread task over ${TARGETS.longestTaskMs} ms`,
          // Judged on the task's thread time: its wall duration also holds the time the OS gave other
          // processes (on a loaded 2-core machine, 100+ ms for a task of 1 ms of work). Both shown.
          value: `${row.longestCpuMs.toFixed(1)} ms CPU (${row.longestMs.toFixed(1)} ms wall)`,
          ok: row.longestCpuMs <= TARGETS.longestTaskMs,
        })
    }
  }
  return out
}

const checks = verdicts()
const report = [
  ...results.map(table),
  [
    'Targets (issue 11):',
    ...checks.map((check) => `- ${check.ok ? 'met   ' : 'MISSED'} ${check.target}: ${check.value}`),
  ].join('\n'),
  `Chromium ${chromiumVersion}, page from ${page.from}; run took ${runtimeS.toFixed(0)} s.`,
].join('\n\n')

if (args.json) {
  process.stdout.write(
    `${JSON.stringify({ chromium: chromiumVersion, page: page.from, runtimeS, results, checks }, null, 2)}\n`,
  )
  log(`\n${report}`)
} else process.stdout.write(`\n${report}\n`)
if (args.check && checks.some((check) => !check.ok)) process.exitCode = 1
