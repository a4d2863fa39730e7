import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { type RenderJob, type RenderReply, renderJob } from './renderJob'

/** How many renders run at once, how many may wait, and what one render may cost. */
export interface RenderPoolOptions {
  /** Renders at once, one worker process each. */
  concurrency: number
  /** Renders that may wait for a worker; past that, `run` throws `RenderPoolBusyError`. */
  queueLength: number
  /** CPU milliseconds a render may use before its worker is killed. */
  cpuBudgetMs: number
  /** Bytes a render may add to its worker's memory before the worker is killed. */
  memoryBudgetBytes: number
}

/** A render's reply with what it cost. */
export interface RenderOutcome {
  reply: RenderReply | { ok: false; status: 500; message: string }
  /** False when the failure may not happen again (a crashed or unstartable worker). */
  repeatable: boolean
  /** CPU milliseconds the render used in its worker. */
  cpuMs: number
  /** The worker's memory when the render began and at its highest during it, in bytes. */
  startRssBytes: number
  peakRssBytes: number
}

/** Every worker is busy and the queue is full: answer 503 with `Retry-After`. */
export class RenderPoolBusyError extends Error {
  override name = 'RenderPoolBusyError'
}

/** The pool was closed (the server is stopping). */
export class RenderPoolClosedError extends Error {
  override name = 'RenderPoolClosedError'
}

/** A render worker: one process, one render at a time. */
interface Worker {
  child: ChildProcess
  ready: Promise<void>
  busy: boolean
  /** Its memory before its first render, to notice when it keeps growing. */
  baseRssBytes?: number
  /** Stops it once it has been idle for `WORKER_IDLE_MS`. */
  idleTimer?: ReturnType<typeof setTimeout>
}

/** What a worker sends back for a job. */
interface WorkerMessage {
  id: number
  reply?: RenderReply
  stopped?: 'cpu' | 'memory'
  cpuMs: number
  startRss: number
  peakRss: number
  endRss?: number
}

/** A worker whose memory stays this far above where it started is replaced after its render. */
const WORKER_GROWTH_LIMIT = 64 * 1024 * 1024
/** An idle worker exits after this long, giving back its memory (about 60 MB) and descriptors. */
const WORKER_IDLE_MS = 5000
/** A worker gets this long to load sharp. */
const WORKER_START_MS = 30_000
/** How often a worker checks its render's CPU time and memory. */
const WATCH_INTERVAL_MS = 20

/**
 * The program a worker runs (CommonJS, through `node -e`): it loads sharp with one libvips thread
 * and no operation cache, then renders one job at a time with `renderJob` (sent as source text, so
 * the same code runs from the TypeScript sources in tests and from the bundle when published). While
 * a render runs, its main thread is free (sharp works on libuv's pool), and it watches its own CPU
 * time and memory: past a budget it reports which one and kills itself. A worker whose parent goes
 * away kills itself too, so no render outlives the server.
 */
function workerProgram(sharpPath: string): string {
  return `'use strict'
const sharp = require(${JSON.stringify(sharpPath)})
sharp.concurrency(1)
sharp.cache(false)
// esbuild's keepNames (tsx, for one) wraps named functions in __name(): give the text its helper.
const __name = (target, value) => Object.defineProperty(target, 'name', { value, configurable: true })
const renderJob = ${renderJob.toString()}
const die = () => process.kill(process.pid, 'SIGKILL')
process.on('disconnect', die)
process.on('message', async ({ id, job, cpuBudgetMs, memoryBudgetBytes }) => {
  const cpuStart = process.cpuUsage()
  const startRss = process.memoryUsage.rss()
  let peakRss = startRss
  const cpuMs = () => {
    const used = process.cpuUsage(cpuStart)
    return (used.user + used.system) / 1000
  }
  const watch = setInterval(() => {
    const rss = process.memoryUsage.rss()
    if (rss > peakRss) peakRss = rss
    const stopped = cpuMs() > cpuBudgetMs ? 'cpu' : rss - startRss > memoryBudgetBytes ? 'memory' : undefined
    if (!stopped) return
    clearInterval(watch)
    process.send({ id, stopped, cpuMs: cpuMs(), startRss, peakRss }, die)
    setTimeout(die, 250)
  }, ${WATCH_INTERVAL_MS})
  let reply
  try {
    reply = await renderJob(sharp, job)
  } catch (error) {
    reply = { ok: false, status: 422, message: 'This image could not be rendered: ' + String((error && error.message) || error) }
  }
  clearInterval(watch)
  process.send({ id, reply, cpuMs: cpuMs(), startRss, peakRss, endRss: process.memoryUsage.rss() })
})
process.send({ ready: true })
`
}

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`

/**
 * Runs renders in worker processes, at most `concurrency` at once, with at most `queueLength`
 * waiting. Each render is held to a CPU and a memory budget that its worker enforces by killing
 * itself, so no image (an SVG whose filters cost minutes, a decoder that cannot be interrupted)
 * can cost more, and none of it lands in the server's own process. A wall-clock backstop covers
 * a worker that stops answering. Workers are started when first needed, kept for the next renders
 * and stopped after 5 s idle; a killed one is replaced on demand.
 */
export class RenderPool {
  readonly #options: RenderPoolOptions
  #program: string | undefined
  readonly #workers = new Set<Worker>()
  readonly #queue: {
    job: RenderJob
    resolve: (outcome: RenderOutcome) => void
    reject: (error: Error) => void
  }[] = []
  #active = 0
  #nextId = 0
  #closed = false

  constructor(options: RenderPoolOptions) {
    this.#options = options
  }

  /** Whether a render asked for now would be refused: every worker busy and the queue full. */
  get full(): boolean {
    return this.#active >= this.#options.concurrency && this.#queue.length >= this.#options.queueLength
  }

  /** Renders `job` in a worker; throws `RenderPoolBusyError` when all are busy and the queue is full. */
  run(job: RenderJob): Promise<RenderOutcome> {
    if (this.#closed) return Promise.reject(new RenderPoolClosedError('The render pool is closed.'))
    if (this.full)
      return Promise.reject(new RenderPoolBusyError('Every render worker is busy and the queue is full.'))
    return new Promise((resolve, reject) => {
      this.#queue.push({ job, resolve, reject })
      this.#pump()
    })
  }

  /** Kills every worker and refuses what is queued. */
  async close(): Promise<void> {
    this.#closed = true
    for (const task of this.#queue.splice(0))
      task.reject(new RenderPoolClosedError('The render pool is closed.'))
    const exits = [...this.#workers].map((worker) => this.#kill(worker))
    await Promise.all(exits)
  }

  #pump(): void {
    while (!this.#closed && this.#active < this.#options.concurrency && this.#queue.length > 0) {
      const task = this.#queue.shift()
      if (!task) return
      this.#active++
      this.#execute(task.job)
        .then(task.resolve, task.reject)
        .finally(() => {
          this.#active--
          this.#pump()
        })
    }
  }

  async #execute(job: RenderJob): Promise<RenderOutcome> {
    const worker = [...this.#workers].find((candidate) => !candidate.busy) ?? this.#spawn()
    worker.busy = true
    clearTimeout(worker.idleTimer)
    try {
      await worker.ready
    } catch (error) {
      void this.#kill(worker)
      return {
        reply: {
          ok: false,
          status: 500,
          message: `The image renderer could not start: ${(error as Error).message}`,
        },
        repeatable: false,
        cpuMs: 0,
        startRssBytes: 0,
        peakRssBytes: 0,
      }
    }
    if (this.#closed) throw new RenderPoolClosedError('The render pool is closed.')
    const { cpuBudgetMs, memoryBudgetBytes } = this.#options
    const id = ++this.#nextId
    const { child } = worker
    return new Promise<RenderOutcome>((resolve) => {
      const finish = (message: WorkerMessage | 'exit' | 'wall') => {
        child.off('message', onMessage)
        child.off('exit', onExit)
        clearTimeout(backstop)
        const report = typeof message === 'object' ? message : undefined
        if (report?.reply) {
          worker.baseRssBytes ??= report.startRss
          // A worker whose memory stays high is replaced rather than kept at that size.
          if ((report.endRss ?? 0) > worker.baseRssBytes + WORKER_GROWTH_LIMIT) void this.#kill(worker)
          else {
            worker.busy = false
            worker.idleTimer = setTimeout(() => {
              if (!worker.busy) void this.#kill(worker)
            }, WORKER_IDLE_MS)
            worker.idleTimer.unref()
          }
        } else void this.#kill(worker)
        resolve({
          reply: report?.reply ?? {
            ok: false,
            status: 422,
            message:
              report?.stopped === 'cpu'
                ? `Rendering this image needed more than ${cpuBudgetMs / 1000} CPU-seconds, the local server's limit for one rendering (the renderCpuBudgetMs option).`
                : report?.stopped === 'memory'
                  ? `Rendering this image needed more than ${megabytes(memoryBudgetBytes)} of memory, the local server's limit for one rendering (the renderMemoryBudgetBytes option).`
                  : message === 'wall'
                    ? 'The image renderer stopped answering.'
                    : 'The image renderer stopped unexpectedly.',
          },
          repeatable: report !== undefined,
          cpuMs: report?.cpuMs ?? 0,
          startRssBytes: report?.startRss ?? 0,
          peakRssBytes: report?.peakRss ?? 0,
        })
      }
      const onMessage = (message: WorkerMessage) => {
        if (message.id === id) finish(message)
      }
      const onExit = () => finish('exit')
      // The worker measures CPU time itself; this only catches a worker that stops answering.
      const backstop = setTimeout(() => finish('wall'), Math.max(10_000, 5 * cpuBudgetMs))
      child.on('message', onMessage)
      child.once('exit', onExit)
      try {
        child.send({ id, job, cpuBudgetMs, memoryBudgetBytes })
      } catch {
        // The worker died since it said it was ready.
        finish('exit')
      }
    })
  }

  #spawn(): Worker {
    // Resolved when first needed: a server that never renders never needs sharp.
    this.#program ??= workerProgram(createRequire(import.meta.url).resolve('sharp'))
    // NODE_OPTIONS is cleared: an --inspect or a loader meant for the server has no place here.
    const child = spawn(process.execPath, ['-e', this.#program], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_OPTIONS: '' },
      windowsHide: true,
    })
    // libvips writes warnings (and "killed" notices) to stderr: kept short for a failed start.
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000)
    })
    // Workers never keep the process alive: the server's listening socket does that.
    child.unref()
    ;(child.channel as { unref?: () => void } | null | undefined)?.unref?.()
    const worker: Worker = {
      child,
      busy: false,
      ready: new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('it did not start in time')), WORKER_START_MS)
        timer.unref()
        const onReady = (message: { ready?: boolean }) => {
          if (!message.ready) return
          child.off('message', onReady)
          clearTimeout(timer)
          resolve()
        }
        child.on('message', onReady)
        child.once('error', (error) => reject(error))
        child.once('exit', (code, signal) =>
          reject(new Error(`it exited (${signal ?? code}): ${stderr.trim()}`)),
        )
      }),
    }
    // Nobody may be waiting on `ready` when it fails (a worker killed while idle).
    worker.ready.catch(() => {})
    child.once('exit', () => this.#workers.delete(worker))
    child.once('error', () => this.#workers.delete(worker))
    this.#workers.add(worker)
    return worker
  }

  /** Kills a worker; resolves once it is gone (or at once if it already is). */
  #kill(worker: Worker): Promise<void> {
    this.#workers.delete(worker)
    clearTimeout(worker.idleTimer)
    const { child } = worker
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null)
      return Promise.resolve()
    return new Promise((resolve) => {
      child.once('exit', () => resolve())
      if (!child.kill('SIGKILL')) resolve()
    })
  }
}
