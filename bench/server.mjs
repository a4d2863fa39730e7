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
// Targets: throughput at least 0.8x the baseline, RSS growth under 64 MB. Timings are noisy, so
// this is not part of the test command; it exits 1 when a target is missed.
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const BIG_SIZE = 25 * 1024 * 1024
const BIG_CONCURRENCY = 8
const BIG_ROUNDS = 5
const SMALL_COUNT = 500
const SMALL_SIZE = 2048
const SMALL_CONCURRENCY = 8
const REQUEST_TIMEOUT_MS = 120_000
const TARGET_THROUGHPUT_RATIO = 0.8
const TARGET_RSS_GROWTH = 64 * 1024 * 1024

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

async function startServer(kind) {
  const dataDir = mkdtempSync(join(tmpdir(), `ik-bench-${kind}-`))
  const args = [join(here, kind === 'baseline' ? 'servers/baseline.mjs' : 'servers/local.mjs'), dataDir]
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
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

checkBuild()
const bigFile = randomBytes(BIG_SIZE)
const smallFile = randomBytes(SMALL_SIZE)
// Both servers stay up and take turns, round by round (in alternating order), so that noise from
// the machine (page cache writeback, other processes) falls on both alike.
const servers = [await startServer('baseline'), await startServer('local')]
const results = {}
try {
  for (const server of servers) await prepare(server, smallFile)
  for (let round = 0; round < BIG_ROUNDS; round++)
    for (const server of round % 2 ? [...servers].reverse() : servers) await bigRound(server, bigFile)
  for (const server of servers) {
    const peak = Math.max(server.sampledPeak, server.canReset ? procMemory(server.pid).hwm : 0)
    results[server.kind] = { idle: server.idle, peak, growth: peak - server.idle }
  }
  const batches = 5
  for (let batch = 0; batch < batches; batch++)
    for (const server of batch % 2 ? [...servers].reverse() : servers)
      await smallBatch(server, smallFile, SMALL_COUNT / batches)
  for (const server of servers)
    Object.assign(results[server.kind], {
      throughput: median(server.rounds),
      requestsPerSecond: median(server.smallRates),
      cpuPerBig: server.bigCpu / (BIG_ROUNDS * BIG_CONCURRENCY),
      cpuPerSmall: server.smallCpu / SMALL_COUNT,
    })
} finally {
  agent.destroy()
  await Promise.all(servers.map((server) => server.stop()))
}

const { baseline, local } = results
const throughputRatio = local.throughput / baseline.throughput
const rpsRatio = local.requestsPerSecond / baseline.requestsPerSecond
const rows = [
  ['', 'busboy → disk baseline', '@ik-upload/local-server', 'ratio'],
  [
    `${BIG_CONCURRENCY} × 25 MB concurrent, MB/s (median of ${BIG_ROUNDS})`,
    baseline.throughput.toFixed(0),
    local.throughput.toFixed(0),
    `${throughputRatio.toFixed(2)}x`,
  ],
  ['peak RSS over idle, MB', mb(baseline.growth), mb(local.growth), ''],
  ['idle RSS, MB', mb(baseline.idle), mb(local.idle), ''],
  ['server CPU per 25 MB upload, ms', baseline.cpuPerBig.toFixed(0), local.cpuPerBig.toFixed(0), ''],
  [
    `${SMALL_COUNT} × 2 KiB uploads (${SMALL_CONCURRENCY} at a time, median of 5 batches), req/s`,
    baseline.requestsPerSecond.toFixed(0),
    local.requestsPerSecond.toFixed(0),
    `${rpsRatio.toFixed(2)}x`,
  ],
  ['server CPU per small upload, ms', baseline.cpuPerSmall.toFixed(2), local.cpuPerSmall.toFixed(2), ''],
]
console.log(
  rows
    .map((row) => `| ${row.join(' | ')} |`)
    .join('\n')
    .replace(/\n/, `\n|${'---|'.repeat(4)}\n`),
)
const missed = []
if (throughputRatio < TARGET_THROUGHPUT_RATIO)
  missed.push(`throughput ${throughputRatio.toFixed(2)}x < ${TARGET_THROUGHPUT_RATIO}x`)
if (local.growth >= TARGET_RSS_GROWTH) missed.push(`RSS growth ${mb(local.growth)} MB >= 64 MB`)
console.log(
  missed.length
    ? `\nMISSED: ${missed.join('; ')}`
    : '\ntargets met: throughput >= 0.8x baseline, RSS growth < 64 MB',
)
process.exitCode = missed.length ? 1 : 0
