import { parseArgs } from 'node:util'
import type { LocalServerOptions } from './startLocalServer'

/** The CLI's help text. */
export const USAGE = `Usage: ik-upload-server [options]

An offline, ImageKit-compatible upload server: upload API v1/v2, auth endpoint, delivery.

Options (each also read from the environment variable shown):
  --port <n>              TCP port, 0 for a free one      IK_SERVER_PORT      (default 4010)
  --host <address>        interface to listen on          IK_SERVER_HOST      (default 127.0.0.1)
  --data <dir>            data folder                     IK_SERVER_DATA      (default .ik-data)
  --public-key <key>      account public key              IK_SERVER_PUBLIC_KEY
  --private-key <key>     account private key             IK_SERVER_PRIVATE_KEY
                          (both or neither; default: dev keys generated into <data>/keys.json)
  --max-file-size <bytes> per-file limit                  IK_SERVER_MAX_FILE_SIZE (default 26214400)
  --max-fields-size <bytes>
                          text fields of one request, in total
                                                          IK_SERVER_MAX_FIELDS_SIZE (default 2097152)
  --headers-timeout <ms>  time to send a request's headers
                                                          IK_SERVER_HEADERS_TIMEOUT (default 30000)
  --request-timeout <ms>  time to send a whole request    IK_SERVER_REQUEST_TIMEOUT (default 300000)
  --idle-timeout <ms>     silence allowed mid-body or mid-answer
                                                          IK_SERVER_IDLE_TIMEOUT (default 30000)
  --keep-alive-timeout <ms>
                          idle keep-alive connections     IK_SERVER_KEEP_ALIVE_TIMEOUT (default 5000)
  --allow-private-urls    download file URLs from loopback/private addresses
                                                          IK_SERVER_ALLOW_PRIVATE_URLS=1
  --public-url <url>      base URL clients reach the server at (behind a proxy)
                                                          IK_SERVER_PUBLIC_URL
  --quiet                 no request log                  IK_SERVER_QUIET=1
  -h, --help              this help
`

/** The parsed command line: server options, or a request for help, or an error to print. */
export type CliOptions =
  | { kind: 'run'; options: LocalServerOptions; quiet: boolean }
  | { kind: 'help' }
  | { kind: 'error'; message: string }

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value)

function integer(name: string, value: string | undefined, min: number): number | string | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim()) || Number(value) < min)
    return `${name} must be a whole number of at least ${min}, got "${value}".`
  return Number(value)
}

/** Reads the flags, falling back to the `IK_SERVER_*` environment variables; flags win. */
export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliOptions {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      // `pnpm run dev -- --port 4011` passes the `--` through; it separates nothing here.
      args: argv[0] === '--' ? argv.slice(1) : [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'public-key': { type: 'string' },
        'private-key': { type: 'string' },
        'max-file-size': { type: 'string' },
        'max-fields-size': { type: 'string' },
        'headers-timeout': { type: 'string' },
        'request-timeout': { type: 'string' },
        'idle-timeout': { type: 'string' },
        'keep-alive-timeout': { type: 'string' },
        'allow-private-urls': { type: 'boolean' },
        'public-url': { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }))
  } catch (error) {
    return { kind: 'error', message: (error as Error).message }
  }
  if (values.help) return { kind: 'help' }
  const text = (flag: string, variable: string) => (values[flag] as string | undefined) ?? env[variable]
  const port = integer('--port', text('port', 'IK_SERVER_PORT'), 0)
  const maxFileSize = integer('--max-file-size', text('max-file-size', 'IK_SERVER_MAX_FILE_SIZE'), 1)
  // The limits and timeouts that map one flag to one option, unchanged.
  const limits = {
    maxFieldsSize: integer('--max-fields-size', text('max-fields-size', 'IK_SERVER_MAX_FIELDS_SIZE'), 1),
    headersTimeoutMs: integer('--headers-timeout', text('headers-timeout', 'IK_SERVER_HEADERS_TIMEOUT'), 1),
    requestTimeoutMs: integer('--request-timeout', text('request-timeout', 'IK_SERVER_REQUEST_TIMEOUT'), 1),
    idleTimeoutMs: integer('--idle-timeout', text('idle-timeout', 'IK_SERVER_IDLE_TIMEOUT'), 1),
    keepAliveTimeoutMs: integer(
      '--keep-alive-timeout',
      text('keep-alive-timeout', 'IK_SERVER_KEEP_ALIVE_TIMEOUT'),
      1,
    ),
  }
  for (const value of [port, maxFileSize, ...Object.values(limits)])
    if (typeof value === 'string') return { kind: 'error', message: value }
  if (typeof port === 'number' && port > 65535)
    return { kind: 'error', message: `--port must be at most 65535, got ${port}.` }
  const publicKey = text('public-key', 'IK_SERVER_PUBLIC_KEY')
  const privateKey = text('private-key', 'IK_SERVER_PRIVATE_KEY')
  if (Boolean(publicKey) !== Boolean(privateKey))
    return {
      kind: 'error',
      message: 'Give both --public-key and --private-key, or neither (dev keys are then generated).',
    }
  const host = text('host', 'IK_SERVER_HOST')
  const dataDir = text('data', 'IK_SERVER_DATA')
  const publicUrl = text('public-url', 'IK_SERVER_PUBLIC_URL')
  const options: LocalServerOptions = {
    ...(port !== undefined && { port: port as number }),
    ...(host && { host }),
    ...(dataDir && { dataDir }),
    ...(publicKey && privateKey && { publicKey, privateKey }),
    ...(maxFileSize !== undefined && { maxFileSize: maxFileSize as number }),
    ...Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined)),
    ...(publicUrl && { publicUrl }),
    allowPrivateUrls: Boolean(values['allow-private-urls']) || truthy(env.IK_SERVER_ALLOW_PRIVATE_URLS),
  }
  return { kind: 'run', options, quiet: Boolean(values.quiet) || truthy(env.IK_SERVER_QUIET) }
}
