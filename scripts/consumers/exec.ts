import { spawn } from 'node:child_process'

/** How a process ended and what it printed. */
export interface Ran {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** stdout and stderr together, for a failure message. */
  output: string
}

/** Options of `exec`. */
export interface ExecOptions {
  cwd: string
  /** @default process.env */
  env?: NodeJS.ProcessEnv
  /** A hang guard, not a speed check: the process is killed after this long. @default 180000 */
  timeoutMs?: number
}

/**
 * Runs a command without a shell and resolves when it ends, whatever its exit code: the checks read
 * the code and the output themselves. Asynchronous, so installs and checks can overlap.
 */
export function exec(command: string, args: readonly string[], options: ExecOptions): Promise<Ran> {
  const { cwd, env = process.env, timeoutMs = 180_000 } = options
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      output += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      output += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, output })
    })
  })
}

/**
 * The last `lines` lines of a process's output without stack frames (a Node error's message and
 * code come before its frames and would be cut), for a FAIL line that stays readable.
 */
export const tail = (text: string, lines = 25): string =>
  text
    .trim()
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .slice(-lines)
    .join('\n')
