// Packs the publishable packages exactly as `pnpm publish` would (build, then `pnpm pack`, which
// rewrites `workspace:` ranges and applies `publishConfig`) and installs the tarballs with plain npm
// into scratch apps outside the workspace. The size budgets and the consumer checks both measure
// what users receive through these two functions, never the workspace's sources.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')

/** The packages users install, by directory under `packages/`. */
export const PUBLISHED = ['core', 'react', 'server', 'msw', 'local-server']

/**
 * Builds every published package and packs it into `dest` (a fresh temp folder by default).
 * Returns `{ '@ik-upload/core': '/abs/ik-upload-core-0.1.0.tgz', ... }`.
 * @param {{ dest?: string, build?: boolean, log?: (line: string) => void }} [options]
 * @returns {Record<string, string>}
 */
export function packTarballs({ dest, build = true, log = () => {} } = {}) {
  const out = dest ?? mkdtempSync(join(tmpdir(), 'ik-upload-tarballs-'))
  mkdirSync(out, { recursive: true })
  if (build) {
    log('building the packages')
    execFileSync('pnpm', ['-r', '--filter', './packages/*', 'run', 'build'], { cwd: root, stdio: 'pipe' })
  }
  /** @type {Record<string, string>} */
  const tarballs = {}
  for (const dir of PUBLISHED) {
    const before = new Set(readdirSync(out))
    execFileSync('pnpm', ['pack', '--pack-destination', out], {
      cwd: join(root, 'packages', dir),
      stdio: 'pipe',
    })
    const made = readdirSync(out).find((name) => name.endsWith('.tgz') && !before.has(name))
    if (!made) throw new Error(`pnpm pack made no tarball for packages/${dir}`)
    tarballs[`@ik-upload/${dir}`] = join(out, made)
    log(`packed ${made}`)
  }
  return tarballs
}

/**
 * Creates a scratch app in a temp folder outside the workspace and installs `dependencies` into it
 * with plain npm, the way a user would. Our own packages come from `tarballs`: as dependencies when
 * listed in `ours`, and always through `overrides`, so a tarball that depends on another of ours
 * takes the packed one and never a same-named package from a registry.
 * @param {{
 *   name: string,
 *   tarballs: Record<string, string>,
 *   ours?: string[],
 *   dependencies?: Record<string, string>,
 *   packageJson?: Record<string, unknown>,
 *   files?: Record<string, string>,
 *   log?: (line: string) => void,
 * }} options
 * @returns {string} the app's folder
 */
export function installScratchApp({
  name,
  tarballs,
  ours = [],
  dependencies = {},
  packageJson = {},
  files = {},
  log = () => {},
}) {
  const dir = mkdtempSync(join(tmpdir(), `ik-upload-${name}-`))
  const fileSpec = (pkg) => `file:${tarballs[pkg]}`
  const pkg = {
    name: `scratch-${name}`,
    private: true,
    version: '0.0.0',
    type: 'module',
    ...packageJson,
    dependencies: {
      ...Object.fromEntries(ours.map((dep) => [dep, fileSpec(dep)])),
      ...dependencies,
    },
    overrides: Object.fromEntries(Object.keys(tarballs).map((dep) => [dep, fileSpec(dep)])),
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  log(`npm install in ${dir}`)
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: 'pipe',
    // A workspace's pnpm settings must not leak into the user's npm.
    env: withoutPnpmEnv(process.env),
  })
  return dir
}

/** `process.env` without the `npm_config_*`/`pnpm_*` variables a `pnpm run` parent sets. */
export function withoutPnpmEnv(env) {
  return Object.fromEntries(
    Object.entries(env).filter(([key]) => !/^(npm_|pnpm_)/i.test(key) || key === 'npm_config_cache'),
  )
}
