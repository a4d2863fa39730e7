// Builds what the browser benchmark needs: fresh dist/ folders for the packages it runs (the local
// server runs from its build), and the page bundle, from the packed tarballs (what users install) or
// from the workspace's sources (`--source`, through the `@ik-upload/source` export condition).
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { build } from 'esbuild'
import { installScratchApp, packTarballs } from '../../scripts/packTarballs.mjs'

const root = resolve(import.meta.dirname, '../..')
const pageEntry = join(import.meta.dirname, 'page.jsx')

/** In dependency order: the page needs core and react, the local server core, server and itself. */
const PACKAGES = ['core', 'server', 'react', 'local-server']

const newestUnder = (dir) =>
  Math.max(
    0,
    ...readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs),
  )

/** Rebuilds each package whose dist/ is missing or older than its sources; returns the ones built. */
export function buildStalePackages(log) {
  const built = []
  for (const name of PACKAGES) {
    const dir = join(root, 'packages', name)
    let distTime = 0
    try {
      distTime = statSync(join(dir, 'dist/index.mjs')).mtimeMs
    } catch {}
    if (distTime >= newestUnder(join(dir, 'src'))) continue
    log(`building @ik-upload/${name} (dist missing or older than src)`)
    execFileSync('pnpm', ['--filter', `@ik-upload/${name}`, 'run', 'build'], { cwd: root, stdio: 'pipe' })
    built.push(name)
  }
  return built
}

const esbuildOptions = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  jsx: 'automatic',
  // React's production build, as an app ships it.
  define: { 'process.env.NODE_ENV': '"production"' },
  write: false,
  logLevel: 'silent',
}

/**
 * The page's JavaScript. From the tarballs: `pnpm pack` of the built packages, a plain npm install
 * of core and react (and React 19.3.1) into a scratch app outside the workspace, the page copied
 * there and bundled. From the sources: the page bundled where it is, through `@ik-upload/source`.
 * @param {{ source: boolean, log: (line: string) => void }} options
 * @returns {Promise<{ code: string, from: string, scratch: string[] }>}
 */
export async function buildPage({ source, log }) {
  if (source) {
    const result = await build({
      ...esbuildOptions,
      entryPoints: [pageEntry],
      conditions: ['@ik-upload/source'],
      absWorkingDir: root,
    })
    return { code: result.outputFiles[0].text, from: 'workspace sources (@ik-upload/source)', scratch: [] }
  }
  const tarballs = packTarballs({ build: false })
  log('packed the tarballs')
  const app = installScratchApp({
    name: 'bench-browser',
    tarballs,
    ours: ['@ik-upload/core', '@ik-upload/react'],
    dependencies: { react: '19.3.1', 'react-dom': '19.3.1' },
    files: { 'page.jsx': readFileSync(pageEntry, 'utf8') },
    log,
  })
  const result = await build({ ...esbuildOptions, entryPoints: [join(app, 'page.jsx')], absWorkingDir: app })
  return {
    code: result.outputFiles[0].text,
    from: 'packed tarballs (pnpm pack, npm install)',
    // The scratch app and the tarballs' folder, for the caller to delete.
    scratch: [app, dirname(tarballs['@ik-upload/core'])],
  }
}
