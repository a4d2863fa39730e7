import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

/** What `installScratchApp` takes (scripts/packTarballs.mjs), minus `log`: a function cannot cross threads. */
export interface ScratchAppOptions {
  name: string
  tarballs: Record<string, string>
  ours?: string[]
  dependencies?: Record<string, string>
  packageJson?: Record<string, unknown>
  files?: Record<string, string>
}

const helper = pathToFileURL(new URL('../packTarballs.mjs', import.meta.url).pathname).href

// The worker's whole program: call installScratchApp with the options it was given, send back the
// folder or the error (with npm's stderr, which execFileSync puts on the error).
const program = `
import { parentPort, workerData } from 'node:worker_threads'
import { installScratchApp } from ${JSON.stringify(helper)}
try {
  parentPort.postMessage({ dir: installScratchApp(workerData) })
} catch (error) {
  parentPort.postMessage({ error: [error.message, String(error.stderr ?? '')].join('\\n').trim() })
}
`

/**
 * `installScratchApp` on a worker thread. It installs with a synchronous npm call, so two installs
 * on the main thread would run one after the other and block everything else; in workers they run
 * side by side while the main thread lints the tarballs.
 */
export function installInWorker(options: ScratchAppOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(program)}`), {
      workerData: options,
    })
    worker.once('message', (message: { dir?: string; error?: string }) => {
      if (message.dir) resolve(message.dir)
      else reject(new Error(`npm install of the ${options.name} app failed: ${message.error}`))
      void worker.terminate()
    })
    worker.once('error', reject)
  })
}
