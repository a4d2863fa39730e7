#!/usr/bin/env node
// Bundle-size benchmark: bundles what an app imports (esbuild, minified, browser, ESM; react
// external) and prints raw and gzip bytes. `--check` exits 1 when a budget is exceeded.
// Sizes are deterministic, so unlike timings they are safe to check in the test command.
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const budgets = [
  {
    name: '@ik-upload/core: upload() only',
    code: "export { upload } from '@ik-upload/core'",
    budget: 2500,
  },
  {
    name: '@ik-upload/core: createUploader()',
    code: "export { createUploader } from '@ik-upload/core'",
  },
  {
    name: '@ik-upload/react: IKContext + IKUpload + useUpload',
    code: "export { IKContext, IKUpload, useUpload } from '@ik-upload/react'",
    budget: 5000,
    ratioTo: 'imagekitio-react',
  },
  {
    name: '@ik-upload/react: the four (+ IKDropzone)',
    code: "export { IKContext, IKUpload, useUpload, IKDropzone } from '@ik-upload/react'",
    budget: 6500,
  },
  {
    // The baseline: its ESM build (`module`), the smallest a bundler can make of it; through its
    // `browser` field (a UMD build) it is larger still.
    id: 'imagekitio-react',
    name: 'imagekitio-react 4.3.0: IKContext + IKUpload',
    code: "export { IKContext, IKUpload } from 'imagekitio-react'",
    mainFields: ['module', 'main'],
  },
]

async function measure({ code, mainFields }) {
  const result = await build({
    stdin: { contents: code, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    conditions: ['@ik-upload/source'],
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    logLevel: 'silent',
    ...(mainFields && { mainFields }),
  })
  const bytes = result.outputFiles[0].contents
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
}

let failed = false
const results = new Map()
console.log('bundle'.padEnd(52), 'min'.padStart(8), 'gzip'.padStart(8), 'budget'.padStart(8))
for (const entry of budgets) {
  const { name, budget } = entry
  const { raw, gzip } = await measure(entry)
  results.set(entry.id ?? name, gzip)
  const over = budget && gzip > budget
  failed ||= Boolean(over)
  console.log(
    name.padEnd(52),
    String(raw).padStart(8),
    String(gzip).padStart(8),
    String(budget ?? '-').padStart(8),
    over ? 'OVER' : '',
  )
}
for (const { name, ratioTo } of budgets.filter((entry) => entry.ratioTo)) {
  const ours = results.get(name)
  const theirs = results.get(ratioTo)
  console.log(
    `${name} is ${((100 * ours) / theirs).toFixed(1)}% of ${ratioTo} (${(theirs / ours).toFixed(2)}x smaller)`,
  )
}
if (process.argv.includes('--check') && failed) {
  console.error('A bundle is over its gzip budget.')
  process.exit(1)
}
