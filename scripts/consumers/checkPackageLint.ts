import { join, resolve } from 'node:path'
import { exec, tail } from './exec'
import { expect, runCheck } from './runCheck'

const root = resolve(import.meta.dirname, '../..')
const bin = (name: string) => join(root, 'node_modules/.bin', name)

/** The resolutions the ESM-only profile leaves out: a CommonJS consumer is not one we promise. */
const IGNORED_BY_ESM_ONLY = new Set(['node10', 'node16-cjs'])

interface AttwProblem {
  kind: string
  entrypoint?: string
  resolutionKind?: string
}

/**
 * `publint --strict` and `attw --profile esm-only` on every tarball, both from the workspace's
 * devDependencies. Each must report nothing: publint says "All good!" (a suggestion fails too), and
 * attw finds types and no problem outside the resolutions the profile ignores. attw is told not to
 * fetch `@types` packages, so the check never needs the network.
 */
export async function checkPackageLint(tarballs: Record<string, string>): Promise<void> {
  await Promise.all(
    Object.entries(tarballs).map(async ([name, tarball]) => {
      await runCheck(`publint --strict ${name}`, async () => {
        const ran = await exec(bin('publint'), ['run', '--strict', tarball], { cwd: root })
        expect(ran.code === 0 && ran.stdout.includes('All good!'), tail(ran.output))
        return 'All good!'
      })
      await runCheck(`every path the packed manifest names is in ${name}'s tarball`, async () => {
        // publint and attw both pass an unknown export condition that points at an unshipped file
        // (say, a source condition at src/): walk every string of exports, bin, main and types.
        const listed = await exec('tar', ['tzf', tarball], { cwd: root })
        const files = new Set(listed.stdout.split('\n').map((line) => line.replace(/^package\//, '')))
        const manifest = JSON.parse(
          (await exec('tar', ['xzf', tarball, '-O', 'package/package.json'], { cwd: root })).stdout,
        )
        const paths: string[] = []
        const walk = (value: unknown): void => {
          if (typeof value === 'string') paths.push(value)
          else if (value && typeof value === 'object') Object.values(value).forEach(walk)
        }
        walk([manifest.exports, manifest.bin, manifest.main, manifest.types, manifest.module])
        const missing = paths.filter((path) => !files.has(path.replace(/^\.\//, '')))
        expect(paths.length > 0 && missing.length === 0, `named but not shipped: ${missing.join(', ')}`)
        return `${paths.length} paths, all shipped`
      })
      await runCheck(`attw --profile esm-only ${name}`, async () => {
        const ran = await exec(
          bin('attw'),
          [tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json'],
          { cwd: root },
        )
        let report: { analysis?: { types?: unknown }; problems?: Record<string, AttwProblem[]> }
        try {
          report = JSON.parse(ran.stdout)
        } catch {
          // Without types attw prints a sentence, not JSON.
          throw new Error(tail(ran.output))
        }
        expect(report.analysis?.types, `attw: the package holds no types\n${tail(ran.output, 5)}`)
        const problems = Object.values(report.problems ?? {})
          .flat()
          .filter((problem) => !IGNORED_BY_ESM_ONLY.has(problem.resolutionKind ?? ''))
        expect(
          problems.length === 0,
          problems
            .map((problem) => `${problem.kind} at ${problem.entrypoint} (${problem.resolutionKind})`)
            .join('\n'),
        )
        expect(ran.code === 0, `attw exited ${ran.code}\n${tail(ran.stderr)}`)
        return 'no problems'
      })
    }),
  )
}
