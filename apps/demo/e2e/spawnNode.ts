import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { dirname, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const demoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** A Node process the tests started, and what it printed when it was ready. */
export interface NodeProcess {
  child: ChildProcess
  /** The first line that matched `ready`. */
  readyLine: string
  /** Stops it (SIGTERM, as Ctrl-C would) and waits for it to exit. */
  stop(): Promise<void>
}

/**
 * Runs a TypeScript entry point the way `pnpm dev` does (workspace packages from source, through
 * tsx) and resolves once it prints a line matching `ready`; rejects if it exits or times out first.
 * Its output is echoed with a prefix, so a failing start explains itself in the test log.
 */
export function spawnNode(
  script: string,
  args: string[],
  {
    env = process.env,
    ready,
    label,
    timeoutMs = 180_000,
  }: {
    env?: NodeJS.ProcessEnv
    ready: RegExp
    label: string
    timeoutMs?: number
  },
): Promise<NodeProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@ik-upload/source', '--import', 'tsx', script, ...args],
    {
      cwd: demoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGTERM')
    await exited
  }
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
    process.stderr.write(`[${label}] ${line}\n`),
  )
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      void stop()
      reject(new Error(`${label} was not ready after ${timeoutMs} ms`))
    }, timeoutMs)
    const onExit = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`${label} exited with code ${code} before it was ready`))
    }
    child.once('exit', onExit)
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      process.stdout.write(`[${label}] ${line}\n`)
      if (!ready.test(line)) return
      clearTimeout(timer)
      child.off('exit', onExit)
      resolveReady({ child, readyLine: line, stop })
    })
  })
}
