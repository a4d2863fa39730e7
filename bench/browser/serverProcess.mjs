// The local upload server for the browser benchmark, from its build (dist/), in a process of its own
// so that its work does not share an event loop with the proxy. Talks to run.mjs over IPC:
//   'counts' → { counts } requests per path since the last 'counts' (auth requests per row)
//   'clear'  → { cleared } after deleting the uploaded bytes (a run writes ~1.5 GB otherwise)
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { startLocalServer } from '@ik-upload/local-server'

const dataDir = process.argv[2]
/** @type {Record<string, number>} */
let counts = {}
const server = await startLocalServer({
  port: 0,
  dataDir,
  // Longer than any pause of the benchmark, so neither the browser nor the proxy reconnects mid-run.
  keepAliveTimeoutMs: 60_000,
  onRequest({ method, path }) {
    const key = `${method} ${path}`
    counts[key] = (counts[key] ?? 0) + 1
  },
})

process.on('message', (message) => {
  if (message === 'counts') {
    process.send?.({ counts })
    counts = {}
  } else if (message === 'clear') {
    // The bytes only: the records stay (small), the server never reads these files again.
    const files = join(dataDir, 'files')
    for (const name of readdirSync(files)) rmSync(join(files, name), { recursive: true, force: true })
    process.send?.({ cleared: true })
  }
})
let stopped = false
const stop = () => {
  if (stopped) return
  stopped = true
  server.close().then(() => process.exit(0))
}
process.on('SIGTERM', stop)
// The benchmark died without stopping us: do not outlive it.
process.on('disconnect', stop)
process.send?.({
  ready: {
    url: server.url,
    uploadEndpoint: server.uploadEndpoint,
    uploadEndpointV2: server.uploadEndpointV2,
    authEndpoint: server.authEndpoint,
    publicKey: server.publicKey,
  },
})
