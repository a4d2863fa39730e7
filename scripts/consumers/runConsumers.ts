/**
 * The consumer matrix: what users of the packed packages do, checked on the tarballs `pnpm pack`
 * makes, installed with plain npm into scratch apps outside the workspace (scripts/packTarballs.mjs).
 * Packs once and shares two apps: one with React 19 and every package (plus TypeScript, the @types
 * and msw for the type checks), one with React 18.3 and @ik-upload/react only.
 *
 *   tsx scripts/consumers/runConsumers.ts [--keep]
 *     --keep   leave the tarballs and the scratch apps on disk and print where
 *
 * Prints PASS or FAIL with a reason for each check and exits 1 if any failed. Needs Chromium
 * (`CHROMIUM_PATH`, default /usr/bin/chromium) for the hydration checks; nothing is downloaded
 * but the apps' npm dependencies.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkCli } from './checkCli'
import { checkPackageLint } from './checkPackageLint'
import { checkRequire } from './checkRequire'
import { checkServerRendering } from './checkServerRendering'
import { checkTypes } from './checkTypes'
import { checkViteTreeShaking } from './checkViteTreeShaking'
import { installInWorker } from './installInWorker'
import { packTarballs } from './packHelpers'
import { results, runCheck } from './runCheck'

const keep = process.argv.includes('--keep')
const started = performance.now()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`

/** Every temp folder this run made: the tarballs, the apps, the local server's data. */
const temps: string[] = []
const cleanUp = () => {
  if (keep) console.log(`kept: ${temps.join(' ')}`)
  else for (const dir of temps) rmSync(dir, { recursive: true, force: true })
}
process.once('SIGINT', () => {
  cleanUp()
  process.exit(130)
})

/** Versions a consumer of each kind installs, as TOOLCHAIN.md lists them for Node 20. */
const REACT_19 = '19.3.1'
const REACT_18 = '18.3.1'

try {
  const tarballDir = mkdtempSync(join(tmpdir(), 'ik-upload-tarballs-'))
  temps.push(tarballDir)
  const packed = await runCheck('build and pack every package', async () => {
    const tarballs = packTarballs({ dest: tarballDir })
    return { note: `${Object.keys(tarballs).length} tarballs, ${elapsed()} in`, tarballs }
  })
  if (packed) {
    const { tarballs } = packed
    const install = (
      name: string,
      options: Omit<Parameters<typeof installInWorker>[0], 'name' | 'tarballs'>,
    ) =>
      runCheck(`npm install of the tarballs: ${name} app`, async () => {
        const dir = await installInWorker({ name, tarballs, ...options })
        temps.push(dir)
        return { note: dir, dir }
      })
    // The installs run on worker threads while the tarballs are linted.
    const [main, react18] = await Promise.all([
      install('consumers', {
        ours: Object.keys(tarballs),
        dependencies: {
          react: REACT_19,
          'react-dom': REACT_19,
          typescript: '6.0.3',
          '@types/react': '19.3.3',
          '@types/node': '20.19.43',
          msw: '2.15.0',
        },
      }),
      install('react18', {
        ours: ['@ik-upload/react'],
        dependencies: { react: REACT_18, 'react-dom': REACT_18 },
      }),
      checkPackageLint(tarballs),
    ])
    // Two lanes for two cores: the type checks are CPU-bound, the rest mostly waits on processes.
    await Promise.all([
      main && checkTypes(main.dir),
      (async () => {
        if (main) await checkViteTreeShaking(main.dir)
        await checkServerRendering([
          ...(main ? [{ react: REACT_19, dir: main.dir }] : []),
          ...(react18 ? [{ react: REACT_18, dir: react18.dir }] : []),
        ])
        if (main) await checkRequire(main.dir)
        if (main) await checkCli(main.dir, temps)
      })(),
    ])
  }
} finally {
  cleanUp()
}

const failed = results.filter((result) => !result.ok)
console.log(
  `\n${results.length - failed.length} passed, ${failed.length} failed, in ${elapsed()}` +
    (failed.length ? `:\n${failed.map((result) => `  - ${result.name}`).join('\n')}` : ''),
)
process.exit(failed.length ? 1 : 0)
