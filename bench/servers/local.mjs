// The local upload server under benchmark, from its build (dist/), in its own process. `IK_BENCH_MODULE`
// names another build of it instead (server.mjs's `--local name=path`, to compare two versions).
import { pathToFileURL } from 'node:url'

const { startLocalServer } = await import(
  process.env.IK_BENCH_MODULE ? pathToFileURL(process.env.IK_BENCH_MODULE).href : '@ik-upload/local-server'
)
const server = await startLocalServer({ port: 0, dataDir: process.argv[2] })
process.stdout.write(
  `READY ${JSON.stringify({ url: server.url, uploadEndpoint: server.uploadEndpoint, authEndpoint: server.authEndpoint, publicKey: server.publicKey })}\n`,
)
process.on('message', (message) => {
  if (message === 'rss') process.send?.({ rss: process.memoryUsage().rss })
})
process.on('SIGTERM', () => server.close().then(() => process.exit(0)))
