import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { getAuthenticationParameters } from '@ik-upload/server'
import { afterEach, describe, expect, it } from 'vitest'
import { parseCliOptions } from '../src/parseCliOptions'
import { postForm, tempDataDir } from './helpers'

describe('parseCliOptions', () => {
  it('reads every flag', () => {
    expect(
      parseCliOptions(
        [
          '--port=4011',
          '--host',
          '0.0.0.0',
          '--data',
          '/tmp/d',
          '--public-key',
          'pub',
          '--private-key',
          'priv',
          '--max-file-size',
          '1000',
          '--allow-private-urls',
          '--public-url',
          'https://tunnel.example',
          '--quiet',
        ],
        {},
      ),
    ).toEqual({
      kind: 'run',
      quiet: true,
      options: {
        port: 4011,
        host: '0.0.0.0',
        dataDir: '/tmp/d',
        publicKey: 'pub',
        privateKey: 'priv',
        maxFileSize: 1000,
        allowPrivateUrls: true,
        publicUrl: 'https://tunnel.example',
      },
    })
  })

  it('falls back to IK_SERVER_* variables, flags winning', () => {
    const env = {
      IK_SERVER_PORT: '5000',
      IK_SERVER_HOST: '::1',
      IK_SERVER_DATA: '/data',
      IK_SERVER_PUBLIC_KEY: 'p',
      IK_SERVER_PRIVATE_KEY: 'k',
      IK_SERVER_MAX_FILE_SIZE: '10',
      IK_SERVER_ALLOW_PRIVATE_URLS: 'true',
      IK_SERVER_PUBLIC_URL: 'http://x',
      IK_SERVER_QUIET: '1',
    }
    expect(parseCliOptions(['--port', '6000'], env)).toEqual({
      kind: 'run',
      quiet: true,
      options: {
        port: 6000,
        host: '::1',
        dataDir: '/data',
        publicKey: 'p',
        privateKey: 'k',
        maxFileSize: 10,
        allowPrivateUrls: true,
        publicUrl: 'http://x',
      },
    })
  })

  it('reads the limit and timeout flags and their variables', () => {
    expect(
      parseCliOptions(['--max-fields-size', '4096', '--headers-timeout', '1000', '--idle-timeout=2000'], {
        IK_SERVER_REQUEST_TIMEOUT: '60000',
        IK_SERVER_KEEP_ALIVE_TIMEOUT: '100',
        IK_SERVER_IDLE_TIMEOUT: '9',
      }),
    ).toMatchObject({
      kind: 'run',
      options: {
        maxFieldsSize: 4096,
        headersTimeoutMs: 1000,
        requestTimeoutMs: 60000,
        idleTimeoutMs: 2000,
        keepAliveTimeoutMs: 100,
      },
    })
    expect(parseCliOptions(['--idle-timeout', '0'], {})).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/--idle-timeout must be a whole number of at least 1/),
    })
  })

  it('leaves unset options to the server defaults', () => {
    expect(parseCliOptions([], {})).toEqual({
      kind: 'run',
      quiet: false,
      options: { allowPrivateUrls: false },
    })
  })

  it("skips the '--' that pnpm run passes through", () => {
    expect(parseCliOptions(['--', '--port', '4012'], {})).toMatchObject({
      kind: 'run',
      options: { port: 4012 },
    })
  })

  it('asks for help', () => {
    expect(parseCliOptions(['-h'], {})).toEqual({ kind: 'help' })
  })

  it.each([
    [['--port', 'abc'], /--port must be a whole number/],
    [['--port', '70000'], /at most 65535/],
    [['--max-file-size', '0'], /--max-file-size must be a whole number of at least 1/],
    [['--public-key', 'only-one'], /both --public-key and --private-key/],
    [['--bogus'], /Unknown option/],
  ])('refuses %j', (argv, message) => {
    const parsed = parseCliOptions(argv, {})
    expect(parsed.kind).toBe('error')
    expect(parsed.kind === 'error' && parsed.message).toMatch(message)
  })
})

describe('the ik-upload-server CLI', () => {
  let child: ChildProcess | undefined
  const dirs: string[] = []
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL')
    child = undefined
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  // The sources run under tsx; the built dist/cli.mjs is checked by hand and in the README.
  const run = (args: string[]) =>
    spawn(process.execPath, ['--conditions=@ik-upload/source', '--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, IK_SERVER_PORT: '', IK_SERVER_DATA: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })

  const exitOf = (process: ChildProcess) =>
    new Promise<number | null>((resolve) => process.once('exit', (code) => resolve(code)))

  it('starts with generated dev keys, prints them with the URLs, serves uploads and stops on SIGTERM', async () => {
    const dataDir = tempDataDir()
    dirs.push(dataDir)
    child = run(['--port', '0', '--data', dataDir])
    const exited = exitOf(child)
    let output = ''
    const url = await new Promise<string>((resolve, reject) => {
      child?.stdout?.on('data', (chunk) => {
        output += chunk
        const match = /listening on (http:\/\/\S+)/.exec(output)
        if (match && output.includes('privateKey')) resolve(match[1] as string)
      })
      void exited.then((code) => reject(new Error(`exited with ${code} before listening: ${output}`)))
    })
    const keys = JSON.parse(readFileSync(join(dataDir, 'keys.json'), 'utf8'))
    expect(output).toContain(`publicKey          ${keys.publicKey}`)
    expect(output).toContain(keys.privateKey)
    expect(output).toContain(`urlEndpoint        ${url}/ik`)
    const auth = await getAuthenticationParameters({ privateKey: keys.privateKey })
    const { status } = await postForm(`${url}/api/v1/files/upload`, [
      ['publicKey', keys.publicKey],
      ['signature', auth.signature],
      ['expire', String(auth.expire)],
      ['token', auth.token],
      ['fileName', 'cli.txt'],
      ['file', new Blob(['hi']), 'cli.txt'],
    ])
    expect(status).toBe(200)
    // The log line is written after the answer: wait for it rather than for a fixed time.
    await new Promise<void>((resolve) => {
      const check = () => {
        if (/POST \/api\/v1\/files\/upload 200/.test(output)) resolve()
        else child?.stdout?.once('data', () => setImmediate(check))
      }
      check()
    })
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('exits 2 with the usage on a bad flag', async () => {
    child = run(['--port', 'nope'])
    let errors = ''
    child.stderr?.on('data', (chunk) => {
      errors += chunk
    })
    expect(await exitOf(child)).toBe(2)
    expect(errors).toMatch(/--port must be a whole number[\s\S]*Usage: ik-upload-server/)
  })
})
