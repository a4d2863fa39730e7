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
]

async function measure(code) {
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
  })
  const bytes = result.outputFiles[0].contents
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
}

let failed = false
console.log('bundle'.padEnd(48), 'min'.padStart(8), 'gzip'.padStart(8), 'budget'.padStart(8))
for (const { name, code, budget } of budgets) {
  const { raw, gzip } = await measure(code)
  const over = budget && gzip > budget
  failed ||= Boolean(over)
  console.log(
    name.padEnd(48),
    String(raw).padStart(8),
    String(gzip).padStart(8),
    String(budget ?? '-').padStart(8),
    over ? 'OVER' : '',
  )
}
if (process.argv.includes('--check') && failed) {
  console.error('A bundle is over its gzip budget.')
  process.exit(1)
}
