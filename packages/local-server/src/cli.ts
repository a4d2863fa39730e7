#!/usr/bin/env node
import { parseCliOptions, USAGE } from './parseCliOptions'
import { startLocalServer } from './startLocalServer'

const parsed = parseCliOptions(process.argv.slice(2), process.env)
if (parsed.kind === 'help') {
  process.stdout.write(USAGE)
  process.exit(0)
}
if (parsed.kind === 'error') {
  process.stderr.write(`ik-upload-server: ${parsed.message}\n\n${USAGE}`)
  process.exit(2)
}

const { options, quiet } = parsed
try {
  const server = await startLocalServer({
    ...options,
    ...(!quiet && {
      onRequest: (entry) =>
        process.stdout.write(
          `${entry.method} ${entry.path} ${entry.status || 'cut'} ${entry.ms}ms${entry.note ? ` (${entry.note})` : ''}\n`,
        ),
    }),
  })
  process.stdout.write(
    [
      `ik-upload local server listening on ${server.url}`,
      `  upload (v1)   POST ${server.uploadEndpoint}`,
      `  upload (v2)   POST ${server.uploadEndpointV2}`,
      `  auth          GET  ${server.authEndpoint}`,
      `  auth (v2)     POST ${server.authEndpointV2}`,
      `  urlEndpoint        ${server.urlEndpoint}`,
      `  publicKey          ${server.publicKey}`,
      // Generated keys are throwaway dev keys, printed so a local backend can be pointed at them;
      // keys that were given are never echoed.
      server.privateKey.startsWith('private_dev_')
        ? `  privateKey         ${server.privateKey}  (dev key: for your local backend only)`
        : '  privateKey         (as given)',
      `  data               ${server.dataDir}${server.keysCreated ? '  (new dev keys written to keys.json)' : ''}`,
      '',
    ].join('\n'),
  )
  let stopping = false
  const stop = (signal: string) => {
    // A second Ctrl-C while shutting down quits at once.
    if (stopping) process.exit(130)
    stopping = true
    process.stdout.write(`\n${signal}: closing\n`)
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  const message =
    code === 'EADDRINUSE'
      ? `port ${options.port ?? 4010} is in use; pick another with --port.`
      : (error as Error).message
  process.stderr.write(`ik-upload-server: ${message}\n`)
  process.exit(1)
}
