// Two ways to measure what an app pays for some imports, both run inside a scratch app that has
// the packed packages installed (see size.mjs): esbuild, and a Vite production build. Each returns
// the minified bytes and their gzip -9 size, and the code itself, so a caller can look for strings.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build as esbuild } from 'esbuild'
import { build as viteBuild } from 'vite'

/** Left to the app: React is a peer, so it is never part of our bytes. */
export const EXTERNAL = ['react', 'react-dom', 'react/jsx-runtime', 'react/jsx-dev-runtime']

/**
 * @typedef {{ min: number, gzip: number, code: string }} Measure
 * @typedef {{ app: string, code: string, mainFields?: string[] }} Bundle
 *   `code` is the entry (ESM re-exports); `mainFields` overrides how packages are resolved.
 */

/** @param {string} code @returns {Measure} */
const sized = (code) => {
  const bytes = Buffer.from(code)
  return { min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, code }
}

/**
 * esbuild: bundle + minify, browser ESM, es2022. Packages resolve from the app's node_modules
 * with the default conditions only, so the published `exports` are what gets measured.
 * @param {Bundle} bundle
 * @returns {Promise<Measure>}
 */
export async function measureEsbuild({ app, code, mainFields }) {
  const result = await esbuild({
    stdin: { contents: code, resolveDir: app, loader: 'js', sourcefile: 'entry.js' },
    absWorkingDir: app,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    external: EXTERNAL,
    logLevel: 'silent',
    ...(mainFields && { mainFields }),
  })
  return sized(result.outputFiles.map((file) => file.text).join(''))
}

let entries = 0

/**
 * A Vite production build with the app as `root`: the entry is a module of the app, its exports
 * kept (`preserveEntrySignatures`), so it is tree-shaken exactly as an app's own import would be,
 * and minified fully. Library mode is not used: for ESM it leaves whitespace unminified.
 * @param {Bundle} bundle
 * @returns {Promise<Measure>}
 */
export async function measureVite({ app, code, mainFields }) {
  const dir = join(app, 'entries')
  mkdirSync(dir, { recursive: true })
  const input = join(dir, `entry${entries++}.js`)
  writeFileSync(input, `${code}\n`)
  const output = await viteBuild({
    root: app,
    configFile: false,
    envFile: false,
    logLevel: 'silent',
    mode: 'production',
    define: { 'process.env.NODE_ENV': '"production"' },
    ...(mainFields && { resolve: { mainFields } }),
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      modulePreload: false,
      reportCompressedSize: false,
      copyPublicDir: false,
      rolldownOptions: {
        input,
        external: EXTERNAL,
        preserveEntrySignatures: 'strict',
      },
    },
  })
  const outputs = Array.isArray(output) ? output : [output]
  const chunks = outputs.flatMap((result) => result.output).filter((file) => file.type === 'chunk')
  return sized(chunks.map((chunk) => chunk.code).join(''))
}
