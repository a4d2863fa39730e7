/**
 * `pnpm dev`: starts the local upload server and the Vite demo (with its small auth backend)
 * together, prints the URL, and stops both on Ctrl-C. With IMAGEKIT_PUBLIC_KEY,
 * IMAGEKIT_PRIVATE_KEY and IMAGEKIT_URL_ENDPOINT set, the demo talks to hosted ImageKit instead and
 * no local server starts.
 *
 *   --port <n>         demo port (default 5173; the next free one if taken)
 *   --host <addr>      address for both servers (default 127.0.0.1)
 *   --server-port <n>  local upload server port (default 4010; 0 picks a free one)
 *   --data <dir>       local server data folder (default .ik-data at the repo root)
 *   --preview          build the demo and serve the build instead of the dev server (the e2e tests)
 *   --out-dir <dir>    where --preview builds to (default apps/demo/dist)
 *   --json             print one JSON line with the URLs when ready, instead of the banner
 *
 * It runs under `node --conditions=@ik-upload/source --import tsx`, so every workspace package
 * runs from its TypeScript source: nothing has to be built first, and nothing is ever stale.
 */
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { IMAGEKIT_UPLOAD_ENDPOINT } from '@ik-upload/core'
import { build, createServer, type InlineConfig, preview } from 'vite'
import { demoBackend } from '../server/demoBackend'

const demoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const repoRoot = resolve(demoRoot, '../..')

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '5173' },
    host: { type: 'string', default: '127.0.0.1' },
    'server-port': { type: 'string', default: '4010' },
    data: { type: 'string', default: join(repoRoot, '.ik-data') },
    preview: { type: 'boolean', default: false },
    'out-dir': { type: 'string', default: join(demoRoot, 'dist') },
    json: { type: 'boolean', default: false },
  },
})

/** Where uploads go and who signs them. */
interface Target {
  mode: 'local' | 'imagekit'
  publicKey: string
  privateKey: string
  urlEndpoint: string
  uploadEndpoint: string
  serverUrl?: string
  close: () => Promise<void>
}

const IMAGEKIT_VARS = ['IMAGEKIT_PUBLIC_KEY', 'IMAGEKIT_PRIVATE_KEY', 'IMAGEKIT_URL_ENDPOINT'] as const

async function startTarget(): Promise<Target> {
  const given = IMAGEKIT_VARS.filter((name) => process.env[name])
  if (given.length === IMAGEKIT_VARS.length) {
    const env = process.env as Record<(typeof IMAGEKIT_VARS)[number], string>
    return {
      mode: 'imagekit',
      publicKey: env.IMAGEKIT_PUBLIC_KEY,
      privateKey: env.IMAGEKIT_PRIVATE_KEY,
      urlEndpoint: env.IMAGEKIT_URL_ENDPOINT.replace(/\/+$/, ''),
      uploadEndpoint: process.env.IMAGEKIT_UPLOAD_ENDPOINT || IMAGEKIT_UPLOAD_ENDPOINT,
      close: async () => {},
    }
  }
  if (given.length > 0) {
    const missing = IMAGEKIT_VARS.filter((name) => !process.env[name])
    throw new Error(`To use hosted ImageKit set ${missing.join(' and ')} too (or unset ${given.join(', ')}).`)
  }
  // The local server keeps its generated keys in <data>/keys.json, so they survive restarts. Keys
  // given through the environment win (the e2e tests pass a private key only they know).
  const privateKey = process.env.IK_LOCAL_PRIVATE_KEY
  const keys = privateKey
    ? { publicKey: process.env.IK_LOCAL_PUBLIC_KEY || 'public_local_demo', privateKey }
    : {}
  const { startLocalServer } = await import('@ik-upload/local-server')
  const server = await startLocalServer({
    port: Number(args['server-port']),
    host: args.host,
    dataDir: resolve(args.data),
    ...keys,
    // One dim line per request, as the server's own CLI prints them.
    onRequest: args.json
      ? undefined
      : ({ method, path, status, ms }) =>
          console.log(`\x1b[2m[upload server] ${method} ${path} ${status} ${ms} ms\x1b[0m`),
  })
  return {
    mode: 'local',
    publicKey: server.publicKey,
    privateKey: server.privateKey,
    urlEndpoint: server.urlEndpoint,
    uploadEndpoint: server.uploadEndpoint,
    serverUrl: server.url,
    close: () => server.close(),
  }
}

async function main(): Promise<void> {
  const target = await startTarget()
  // What the browser may know goes in VITE_IK_* (Vite reads process.env); the private key only
  // reaches the backend plugin below, in this process.
  Object.assign(process.env, {
    VITE_IK_MODE: target.mode,
    VITE_IK_PUBLIC_KEY: target.publicKey,
    VITE_IK_URL_ENDPOINT: target.urlEndpoint,
    VITE_IK_UPLOAD_ENDPOINT: target.uploadEndpoint,
  })
  const config: InlineConfig = {
    root: demoRoot,
    configFile: join(demoRoot, 'vite.config.ts'),
    plugins: [demoBackend({ privateKey: target.privateKey, urlEndpoint: target.urlEndpoint })],
    logLevel: args.json ? 'warn' : 'info',
    clearScreen: false,
  }
  const port = Number(args.port)
  let demo: { resolvedUrls: { local: string[] } | null; close: () => Promise<void> }
  if (args.preview) {
    // Its own output folder lets a test run build while another serves (or builds) the default one.
    const output = { outDir: resolve(args['out-dir']), emptyOutDir: true }
    await build({ ...config, build: output })
    demo = await preview({ ...config, build: output, preview: { port, host: args.host } })
  } else {
    const server = await createServer({ ...config, server: { port, host: args.host } })
    demo = await server.listen()
  }
  const demoUrl = demo.resolvedUrls?.local[0] ?? `http://${args.host}:${port}/`

  let closing = false
  const stop = async (signal: NodeJS.Signals) => {
    // A second Ctrl-C while closing means "now".
    if (closing) process.exit(130)
    closing = true
    if (!args.json) console.log(`\n${signal}: stopping the demo and the upload server…`)
    await Promise.allSettled([demo.close(), target.close()])
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)

  if (args.json) {
    const { mode, publicKey, urlEndpoint, uploadEndpoint, serverUrl } = target
    console.log(
      JSON.stringify({
        demoUrl,
        mode,
        publicKey,
        urlEndpoint,
        uploadEndpoint,
        serverUrl,
        dataDir: mode === 'local' ? resolve(args.data) : undefined,
      }),
    )
    return
  }
  const where =
    target.mode === 'local'
      ? `local upload server ${target.serverUrl} (files in ${resolve(args.data)})`
      : `hosted ImageKit (${target.urlEndpoint})`
  console.log(
    [
      '',
      `  ik-upload demo is ready: \x1b[1m\x1b[36m${demoUrl}\x1b[0m`,
      `  uploading to ${where}`,
      '  Ctrl-C stops both.',
      '',
    ].join('\n'),
  )
}

main().catch((error: unknown) => {
  const inUse = (error as NodeJS.ErrnoException)?.code === 'EADDRINUSE'
  const message = inUse
    ? `port ${args['server-port']} is in use (another pnpm dev?); pick another with --server-port <n>, or 0 for any.`
    : error instanceof Error
      ? error.message
      : String(error)
  console.error(`pnpm dev failed: ${message}`)
  process.exit(1)
})
