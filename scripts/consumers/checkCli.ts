import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { withoutPnpmEnv } from './packHelpers'
import { CheckFailure, expect, runCheck } from './runCheck'

/** The spec's exact answer to a taken name with `overwriteFile=false` and `useUniqueFileName=false`. */
const FILE_EXISTS =
  'A file with the same name already exists at the exact location. We could not overwrite it because both overwriteFile and useUniqueFileName are set to false.'

/** `getAuthenticationParameters` of @ik-upload/server. */
type Sign = (options: { privateKey: string }) => Promise<{ token: string; expire: number; signature: string }>

/** What the CLI prints when it is up (packages/local-server/src/cli.ts). */
interface Banner {
  uploadEndpoint: string
  authEndpoint: string
  urlEndpoint: string
  publicKey: string
  privateKey: string
}

interface RunningCli {
  banner: Banner
  output: () => string
  /** SIGTERM to the process group, as a terminal's job control would send, then waits for the end. */
  stop: () => Promise<void>
  /** SIGKILL to the group, for clean-up after a failure. */
  kill: () => void
}

/** Starts `npx ik-upload-server --port 0 --data <dir>` in the app and waits for its banner. */
async function startCli(app: string, dataDir: string): Promise<RunningCli> {
  // Its own process group: npx runs the bin through `sh`, and does not pass SIGTERM on, so the
  // signal goes to the whole group (npx, sh and the server), as Ctrl-C in a terminal would.
  const child: ChildProcess = spawn('npx', ['ik-upload-server', '--port', '0', '--data', dataDir], {
    cwd: app,
    env: withoutPnpmEnv(process.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let output = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk
  })
  // 'close' fires once every holder of the pipes, the server included, has exited.
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
  const group = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal)
    } catch {
      // Already gone.
    }
  }
  const kill = () => group('SIGKILL')
  // Detached, the server would outlive a Ctrl-C of the run: take it down when this process exits.
  process.on('exit', kill)
  closed.then(() => process.off('exit', kill))
  const banner = await new Promise<Banner>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CheckFailure(`no banner within 60 s:\n${output}`)), 60_000)
    const read = () => {
      const field = (pattern: RegExp) => pattern.exec(output)?.[1]
      if (!/^\s+data\s/m.test(output)) return
      clearTimeout(timer)
      child.stdout?.off('data', read)
      const parsed = {
        uploadEndpoint: field(/upload \(v1\)\s+POST\s+(\S+)/),
        authEndpoint: field(/auth\s+GET\s+(\S+)/),
        urlEndpoint: field(/urlEndpoint\s+(\S+)/),
        publicKey: field(/publicKey\s+(\S+)/),
        privateKey: field(/privateKey\s+(private_dev_\S+)/),
      }
      const missing = Object.entries(parsed).filter(([, value]) => !value)
      if (missing.length)
        reject(new CheckFailure(`the banner lacks ${missing.map(([key]) => key)}:\n${output}`))
      else resolve(parsed as Banner)
    }
    child.stdout?.on('data', read)
    closed.then(() => {
      clearTimeout(timer)
      reject(new CheckFailure(`the CLI exited before it was up:\n${output}`))
    })
  }).catch((error) => {
    kill()
    throw error
  })
  return {
    banner,
    output: () => output,
    kill,
    stop: async () => {
      group('SIGTERM')
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 60_000, 'timeout').unref())
      if ((await Promise.race([closed, timeout])) === 'timeout') {
        kill()
        throw new CheckFailure(`the server was still running 60 s after SIGTERM:\n${output}`)
      }
      expect(output.includes('SIGTERM: closing'), `the server did not report closing on SIGTERM:\n${output}`)
    },
  }
}

/** Uploads `bytes` as `fileName` (v1, unique names off) with the given auth parameters. */
async function uploadFile(
  banner: Banner,
  auth: { token: string; expire: number; signature: string },
  fileName: string,
  bytes: Buffer,
  overwriteFile: boolean,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData()
  form.set('file', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), fileName)
  form.set('fileName', fileName)
  form.set('publicKey', banner.publicKey)
  form.set('token', auth.token)
  form.set('expire', String(auth.expire))
  form.set('signature', auth.signature)
  form.set('useUniqueFileName', 'false')
  form.set('overwriteFile', String(overwriteFile))
  const response = await fetch(banner.uploadEndpoint, { method: 'POST', body: form })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

/**
 * `npx ik-upload-server --port 0 --data <tmp>` from the installed tarball: it starts, takes an
 * upload (auth parameters from its own auth endpoint), and delivers the same bytes; after SIGTERM
 * and a restart on the same data folder the file is still delivered, and still recorded: a second
 * upload of the name with overwriteFile=false gets the spec's FILE_EXISTS answer (signed this
 * time with `getAuthenticationParameters` from the installed @ik-upload/server and the dev key the
 * CLI printed, which it kept in the data folder).
 */
export async function checkCli(app: string, temps: string[]): Promise<void> {
  await runCheck('npx ik-upload-server: starts, takes an upload, keeps it across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ik-upload-cli-data-'))
    temps.push(dataDir)
    const bytes = randomBytes(4096)
    const fileName = 'kept-across-restart.bin'
    let cli = await startCli(app, dataDir)
    try {
      const authResponse = await fetch(cli.banner.authEndpoint)
      expect(authResponse.ok, `GET ${cli.banner.authEndpoint} answered ${authResponse.status}`)
      const first = await uploadFile(cli.banner, await authResponse.json(), fileName, bytes, true)
      expect(first.status === 200, `the upload answered ${first.status} ${JSON.stringify(first.body)}`)
      const filePath = String(first.body.filePath)
      expect(filePath === `/${fileName}`, `the upload was stored as ${filePath}`)
      const delivered = await fetch(`${cli.banner.urlEndpoint}${filePath}`)
      expect(
        delivered.status === 200 && Buffer.from(await delivered.arrayBuffer()).equals(bytes),
        `GET ${filePath} before the restart answered ${delivered.status} or other bytes`,
      )
      await cli.stop()

      cli = await startCli(app, dataDir)
      const again = await fetch(`${cli.banner.urlEndpoint}${filePath}`)
      expect(
        again.status === 200 && Buffer.from(await again.arrayBuffer()).equals(bytes),
        `GET ${filePath} after the restart answered ${again.status} or other bytes`,
      )
      // The installed package, found the way the app's own code would find it.
      const entry = createRequire(join(app, 'package.json')).resolve('@ik-upload/server')
      const server = (await import(pathToFileURL(entry).href)) as { getAuthenticationParameters: Sign }
      const auth = await server.getAuthenticationParameters({ privateKey: cli.banner.privateKey })
      const second = await uploadFile(cli.banner, auth, fileName, Buffer.from('other bytes'), false)
      expect(
        second.status === 400 && second.body.message === FILE_EXISTS,
        `a second upload with overwriteFile=false answered ${second.status} ${JSON.stringify(second.body)}`,
      )
      await cli.stop()
      return 'same bytes delivered after SIGTERM and restart; the record refuses an overwrite'
    } catch (error) {
      cli.kill()
      if (error instanceof CheckFailure) throw error
      throw new CheckFailure(`${(error as Error).message}\n${cli.output()}`)
    }
  })
}
