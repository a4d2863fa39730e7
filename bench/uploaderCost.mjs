#!/usr/bin/env node
// Uploader cost benchmark: what `createUploader` itself spends per file, with the network taken
// away (a transport that answers at once, an authenticator that returns at once), as the queue
// grows. Issue 11's target: the per-file cost at 3,000 files at most 2x the cost at 50.
//
//   node bench/uploaderCost.mjs [--rounds=15]
//
// The uploader is bundled from source with esbuild (minified, as an app ships it) so the figures
// are the code users run, not a TypeScript loader's. Each round runs every queue length, the kit
// and a hand-written pool (the same transport and auth, three workers, no store) one after the
// other, so rounds are interleaved and a slow moment of the machine hits every row alike; the
// table shows medians. A listener reads `getSnapshot()` on every notification, as a UI does.
// Timings are noisy, so this is run by hand, never by `pnpm test`.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const SIZES = [50, 200, 1000, 3000]
const ROUNDS = Number(process.argv.find((arg) => arg.startsWith('--rounds='))?.slice(9) ?? 15)
const CONCURRENCY = 3
const TARGET_RATIO = 2

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The uploader from source, bundled and minified, imported from a data URL. */
async function loadUploader() {
  const result = await build({
    stdin: {
      contents: "export { createUploader } from '@ik-upload/core'",
      resolveDir: join(root, 'packages/core'),
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['@ik-upload/source'],
    write: false,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].text
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)
}

const { createUploader } = await loadUploader()

const reply = (name) =>
  JSON.stringify({
    fileId: `id-${name}`,
    name,
    size: 1,
    filePath: `/${name}`,
    url: `https://ik.test/${name}`,
    fileType: 'non-image',
  })

/** Answers at once (after one progress event), as a network of infinite speed would. */
const transport = async ({ body, onProgress }) => {
  onProgress?.({ loaded: 1, total: 1 })
  return { status: 200, text: reply(body.get('fileName')), header: () => null }
}

let tokens = 0
const authenticator = () => ({
  token: `token-${++tokens}`,
  expire: Math.floor(Date.now() / 1000) + 600,
  signature: 'signature',
})

const makeFiles = (count) =>
  Array.from({ length: count }, (_, i) => new File([new Uint8Array(8)], `f${i}.txt`, { type: 'text/plain' }))

/** Milliseconds for the kit to upload `files`: add them all, wait for the last onSuccess. */
function runKit(files) {
  return new Promise((resolve, reject) => {
    let done = 0
    const start = performance.now()
    const uploader = createUploader({
      publicKey: 'public_test_key',
      authenticator,
      transport,
      concurrency: CONCURRENCY,
      onSuccess() {
        if (++done === files.length) resolve(performance.now() - start)
      },
      onError: reject,
    })
    // A UI reads the snapshot on every notification.
    uploader.subscribe(() => uploader.getSnapshot())
    uploader.add(files)
  })
}

/** The same work written by hand: three workers, auth, a form, the transport, the JSON. */
async function runPool(files) {
  const start = performance.now()
  let next = 0
  const results = []
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]
      const auth = await authenticator()
      const body = new FormData()
      body.append('fileName', file.name)
      body.append('publicKey', 'public_test_key')
      for (const [name, value] of Object.entries(auth)) body.append(name, String(value))
      body.append('file', file, file.name)
      const response = await transport({ url: 'https://upload.test', body, onProgress() {} })
      results.push(JSON.parse(response.text))
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return performance.now() - start
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const inputs = new Map(SIZES.map((size) => [size, makeFiles(size)]))
const times = new Map(
  SIZES.flatMap((size) => [
    [`kit${size}`, []],
    [`pool${size}`, []],
  ]),
)

// One warm-up round, not counted, so the JIT has compiled both paths.
for (const size of SIZES) {
  await runKit(inputs.get(size))
  await runPool(inputs.get(size))
}
for (let round = 0; round < ROUNDS; round++)
  for (const size of SIZES) {
    times.get(`kit${size}`).push(await runKit(inputs.get(size)))
    times.get(`pool${size}`).push(await runPool(inputs.get(size)))
  }

const perFile = (key, size) => (median(times.get(key)) * 1000) / size
const row = (cells) => `| ${cells.join(' | ')} |`
console.log(`createUploader cost per file (µs, median of ${ROUNDS} rounds; fake transport, instant auth)\n`)
console.log(row(['files', 'createUploader', 'hand-written pool', 'kit / pool']))
console.log(row(['---:', '---:', '---:', '---:']))
for (const size of SIZES) {
  const kit = perFile(`kit${size}`, size)
  const pool = perFile(`pool${size}`, size)
  console.log(
    row([size.toLocaleString('en'), kit.toFixed(1), pool.toFixed(1), `${(kit / pool).toFixed(1)}×`]),
  )
}
const ratio = perFile(`kit${SIZES.at(-1)}`, SIZES.at(-1)) / perFile(`kit${SIZES[0]}`, SIZES[0])
console.log(
  `\nper file at ${SIZES.at(-1)} / per file at ${SIZES[0]}: ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×)`,
)
