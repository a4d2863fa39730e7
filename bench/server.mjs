#!/usr/bin/env node
// Upload-server benchmark: the local upload server against a bare busboy-to-disk baseline, each in
// its own child process on 127.0.0.1, driven by the same raw-HTTP client from this process.
//
//   pnpm --filter @ik-upload/local-server... run build && node bench/server.mjs
//
// The local server runs from its build (dist/), as it ships: under tsx the same code measured
// markedly slower with 8 concurrent uploads, which would be a benchmark of tsx.
//
// Workloads (bounded, loopback only):
//   big:   8 concurrent 25 MB uploads, 5 rounds       → throughput (MB/s, median) and peak RSS over idle
//   small: 500 uploads of 2 KiB, 8 at a time, 5 batches → requests/s (median)
// Targets: throughput at least 0.8x the baseline, RSS growth under 64 MB, small uploads at least
// 0.6x the baseline's requests/s. Timings are noisy, so this is not part of the test command; it
// exits 1 when a target is missed.
//
// Options (for comparing versions on a noisy machine):
//   --local <name>=<module>  a build of the local server to measure (an ES module exporting
//                            startLocalServer); repeat it to measure several builds side by side in
//                            one run, taking turns with the baseline. Default: the workspace's dist/.
//   --big-rounds <n>         rounds of the big workload (default 5; 0 skips it)
//   --small-batches <n>      batches of 100 small uploads (default 5)
//   --cpu-prof <dir>         run every server under `node --cpu-prof`, profiles written to <dir>
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const BIG_SIZE = 25 * 1024 * 1024
const BIG_CONCURRENCY = 8
const SMALL_BATCH = 100
const SMALL_SIZE = 2048
const SMALL_CONCURRENCY = 8
const REQUEST_TIMEOUT_MS = 120_000
const TARGET_THROUGHPUT_RATIO = 0.8
const TARGET_RSS_GROWTH = 64 * 1024 * 1024
const TARGET_SMALL_RATIO = 0.6

/** `--name value` options; `--local` may repeat. */
function parseArgs(argv) {
  const options = { locals: [], bigRounds: 5, smallBatches: 5, cpuProf: undefined }
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]]
    if (value === undefined) throw new Error(`${flag} needs a value`)
    i++
    if (flag === '--local') {
      const at = value.indexOf('=')
      if (at < 1) throw new Error('--local takes <name>=<module path>')
      options.locals.push({ name: value.slice(0, at), module: resolve(value.slice(at + 1)) })
    } else if (flag === '--big-rounds') options.bigRounds = Number(value)
    else if (flag === '--small-batches') options.smallBatches = Number(value)
    else if (flag === '--cpu-prof') options.cpuProf = resolve(value)
    else throw new Error(`unknown option ${flag}`)
  }
  if (!(Number.isInteger(options.bigRounds) && options.bigRounds >= 0)) throw new Error('bad --big-rounds')
  if (!(Number.isInteger(options.smallBatches) && options.smallBatches >= 1))
    throw new Error('bad --small-batches')
  return options
}
const options = parseArgs(process.argv.slice(2))
const BIG_ROUNDS = options.bigRounds
const SMALL_COUNT = SMALL_BATCH * options.smallBatches

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')

/** Exits with a hint when packages/local-server/dist is missing or older than its sources. */
function checkBuild() {
  const pkg = join(root, 'packages/local-server')
  const newest = (dir) =>
    Math.max(
      0,
      ...readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs),
    )
  let built = 0
  try {
    built = statSync(join(pkg, 'dist/index.mjs')).mtimeMs
  } catch {}
  if (built < newest(join(pkg, 'src'))) {
    console.error(
      'packages/local-server/dist is missing or stale: run `pnpm --filter @ik-upload/local-server... run build`.',
    )
    process.exit(2)
  }
}

/** /proc/<pid>/status fields in bytes (Linux): VmRSS now, VmHWM the peak since the last reset. */
function procMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

/** CPU time a process has used, user + system, in ms (/proc/<pid>/stat, 100 ticks a second). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** Resets a process's peak RSS (VmHWM) so the next peak is the workload's alone. */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/** Starts a server: `kind` is 'baseline' or 'local'; a local one may name its build (`module`). */
async function startServer(kind, name = kind, module = undefined) {
  const dataDir = mkdtempSync(join(tmpdir(), `ik-bench-${kind}-`))
  const args = [join(here, kind === 'baseline' ? 'servers/baseline.mjs' : 'servers/local.mjs'), dataDir]
  if (options.cpuProf)
    args.unshift(
      '--cpu-prof',
      `--cpu-prof-dir=${options.cpuProf}`,
      `--cpu-prof-name=${name.replace(/[^\w.-]+/g, '_')}.cpuprofile`,
    )
  const env = module ? { ...process.env, IK_BENCH_MODULE: module } : process.env
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] })
  const info = await new Promise((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
      const line = /READY (.*)\n/.exec(output)
      if (line) resolve(JSON.parse(line[1]))
    })
    child.once('exit', (code) => reject(new Error(`${kind} server exited (${code}) before it was ready`)))
  })
  return {
    kind,
    name,
    info,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          rmSync(dataDir, { recursive: true, force: true })
          resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 })

/** POSTs a multipart form: text fields, then the file last (as the kit's client sends it). */
function postUpload(url, fields, fileName, bytes) {
  const boundary = `----ikbench${randomUUID()}`
  const head = Buffer.from(
    Object.entries(fields)
      .map(
        ([name, value]) =>
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      )
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + bytes.length + tail.length,
      },
    })
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')))
    req.on('error', reject)
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        body += chunk
      })
      res.on('end', () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}: ${body}`)),
      )
    })
    req.write(head)
    req.write(bytes)
    req.end(tail)
  })
}

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store' })
  return response.json()
}

/** Signed fields for each upload, fetched before timing from the server's own auth endpoint. */
async function fieldsFor(server, count) {
  if (server.kind === 'baseline') return Array.from({ length: count }, (_, i) => ({ fileName: `f${i}.bin` }))
  const all = []
  for (let i = 0; i < count; i++) {
    const { token, expire, signature } = await getJson(server.info.authEndpoint)
    all.push({ publicKey: server.info.publicKey, signature, expire, token, fileName: `f${i}.bin` })
  }
  return all
}

const uploadUrl = (server) =>
  server.kind === 'baseline' ? `${server.info.url}/upload` : server.info.uploadEndpoint

/** Runs `tasks` with at most `limit` in flight. */
async function pool(tasks, limit) {
  let next = 0
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]()
  }
  await Promise.all(Array.from({ length: limit }, worker))
}

/** Warms a server up (every code path once), then reads its idle RSS and resets its peak. */
async function prepare(server, smallFile) {
  const [warm] = await fieldsFor(server, 1)
  await postUpload(uploadUrl(server), warm, 'warm.bin', smallFile)
  server.idle = procMemory(server.pid).rss
  server.canReset = resetPeak(server.pid)
  server.sampledPeak = server.idle
  server.rounds = []
  server.smallRates = []
  server.bigCpu = 0
  server.smallCpu = 0
}

async function bigRound(server, bigFile) {
  const fields = await fieldsFor(server, BIG_CONCURRENCY)
  const sampler = setInterval(() => {
    server.sampledPeak = Math.max(server.sampledPeak, procMemory(server.pid).rss)
  }, 10)
  const cpu = cpuMs(server.pid)
  const started = performance.now()
  await Promise.all(fields.map((f) => postUpload(uploadUrl(server), f, f.fileName, bigFile)))
  const seconds = (performance.now() - started) / 1000
  server.bigCpu += cpuMs(server.pid) - cpu
  clearInterval(sampler)
  server.rounds.push((BIG_CONCURRENCY * BIG_SIZE) / 1024 / 1024 / seconds)
}

async function smallBatch(server, smallFile, count) {
  const fields = await fieldsFor(server, count)
  const cpu = cpuMs(server.pid)
  const started = performance.now()
  await pool(
    fields.map((f) => () => postUpload(uploadUrl(server), f, f.fileName, smallFile)),
    SMALL_CONCURRENCY,
  )
  server.smallCpu += cpuMs(server.pid) - cpu
  server.smallRates.push(count / ((performance.now() - started) / 1000))
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1)

if (options.locals.length === 0) checkBuild()
const bigFile = randomBytes(BIG_SIZE)
const smallFile = randomBytes(SMALL_SIZE)
// Every server stays up and they take turns, round by round (in rotating order), so that noise from
// the machine (page cache writeback, other processes) falls on all alike.
const locals = options.locals.length ? options.locals : [{ name: '@ik-upload/local-server' }]
const servers = [await startServer('baseline', 'busboy → disk baseline')]
for (const local of locals) servers.push(await startServer('local', local.name, local.module))
const inTurn = (round) => servers.map((_, i) => servers[(i + round) % servers.length])
const results = new Map()
try {
  for (const server of servers) await prepare(server, smallFile)
  for (let round = 0; round < BIG_ROUNDS; round++)
    for (const server of inTurn(round)) await bigRound(server, bigFile)
  for (const server of servers) {
    const peak = Math.max(server.sampledPeak, server.canReset ? procMemory(server.pid).hwm : 0)
    results.set(server, { idle: server.idle, peak, growth: peak - server.idle })
  }
  for (let batch = 0; batch < options.smallBatches; batch++)
    for (const server of inTurn(batch)) await smallBatch(server, smallFile, SMALL_BATCH)
  for (const server of servers)
    Object.assign(results.get(server), {
      throughput: BIG_ROUNDS ? median(server.rounds) : Number.NaN,
      requestsPerSecond: median(server.smallRates),
      cpuPerBig: server.bigCpu / (BIG_ROUNDS * BIG_CONCURRENCY),
      cpuPerSmall: server.smallCpu / SMALL_COUNT,
    })
} finally {
  agent.destroy()
  await Promise.all(servers.map((server) => server.stop()))
}

const [baseline, ...measured] = servers.map((server) => results.get(server))
const ratio = (value, base) => `${(value / base).toFixed(2)}x`
const rows = [
  ['', ...servers.map((server) => server.name), ...measured.map(() => 'ratio')],
  [
    `${BIG_CONCURRENCY} × 25 MB concurrent, MB/s (median of ${BIG_ROUNDS})`,
    ...[baseline, ...measured].map((r) => r.throughput.toFixed(0)),
    ...measured.map((r) => ratio(r.throughput, baseline.throughput)),
  ],
  ['peak RSS over idle, MB', ...[baseline, ...measured].map((r) => mb(r.growth)), ...measured.map(() => '')],
  ['idle RSS, MB', ...[baseline, ...measured].map((r) => mb(r.idle)), ...measured.map(() => '')],
  [
    'server CPU per 25 MB upload, ms',
    ...[baseline, ...measured].map((r) => r.cpuPerBig.toFixed(0)),
    ...measured.map(() => ''),
  ],
  [
    `${SMALL_COUNT} × 2 KiB uploads (${SMALL_CONCURRENCY} at a time, median of ${options.smallBatches} batches), req/s`,
    ...[baseline, ...measured].map((r) => r.requestsPerSecond.toFixed(0)),
    ...measured.map((r) => ratio(r.requestsPerSecond, baseline.requestsPerSecond)),
  ],
  [
    'server CPU per small upload, ms',
    ...[baseline, ...measured].map((r) => r.cpuPerSmall.toFixed(2)),
    ...measured.map(() => ''),
  ],
]
console.log(
  rows
    .map((row) => `| ${row.join(' | ')} |`)
    .join('\n')
    .replace(/\n/, `\n|${'---|'.repeat(rows[0].length)}\n`),
)
const missed = []
for (const [i, local] of measured.entries()) {
  const name = servers[i + 1].name
  const throughputRatio = local.throughput / baseline.throughput
  const smallRatio = local.requestsPerSecond / baseline.requestsPerSecond
  if (BIG_ROUNDS && throughputRatio < TARGET_THROUGHPUT_RATIO)
    missed.push(`${name}: throughput ${throughputRatio.toFixed(2)}x < ${TARGET_THROUGHPUT_RATIO}x`)
  if (BIG_ROUNDS && local.growth >= TARGET_RSS_GROWTH)
    missed.push(`${name}: RSS growth ${mb(local.growth)} MB >= 64 MB`)
  if (smallRatio < TARGET_SMALL_RATIO)
    missed.push(`${name}: small uploads ${smallRatio.toFixed(2)}x < ${TARGET_SMALL_RATIO}x`)
}
console.log(
  missed.length
    ? `\nMISSED: ${missed.join('; ')}`
    : `\ntargets met: throughput >= ${TARGET_THROUGHPUT_RATIO}x baseline, RSS growth < 64 MB, small uploads >= ${TARGET_SMALL_RATIO}x baseline`,
)
process.exitCode = missed.length ? 1 : 0
