/**
 * scripts/packTarballs.mjs with types. It is a JS module the workspace's type check does not read
 * (no `allowJs`), so it is loaded through a URL and given the types its JSDoc states.
 */
import type { ScratchAppOptions } from './installInWorker'

interface PackHelpers {
  /** Builds and packs every published package; package name → absolute tarball path. */
  packTarballs(options?: {
    dest?: string
    build?: boolean
    log?: (line: string) => void
  }): Record<string, string>
  /** npm-installs a scratch app outside the workspace; returns its folder. */
  installScratchApp(options: ScratchAppOptions & { log?: (line: string) => void }): string
  /** `env` without the `npm_*`/`pnpm_*` variables a `pnpm run` parent sets. */
  withoutPnpmEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv
}

const helpers = (await import(new URL('../packTarballs.mjs', import.meta.url).href)) as PackHelpers

export const { packTarballs, withoutPnpmEnv } = helpers
