import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnNode } from './spawnNode'
import type { E2EStack } from './stack'

/**
 * Starts the stack the way `pnpm dev` does, but on the built demo (`--preview`) with free ports, a
 * temporary data folder and a private key only this run knows, so the tests can check that it
 * never reaches the browser. Returns the teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ik-upload-e2e-'))
  // A build of this run's own, so concurrent runs (or a `vite build`) never swap files under it.
  const distDir = await mkdtemp(join(tmpdir(), 'ik-upload-e2e-dist-'))
  const privateKey = `private_e2e_${randomBytes(16).toString('hex')}`
  const env: NodeJS.ProcessEnv = { ...process.env, IK_LOCAL_PRIVATE_KEY: privateKey }
  // Always the local server, even on a machine with hosted ImageKit keys in its environment.
  for (const name of ['IMAGEKIT_PUBLIC_KEY', 'IMAGEKIT_PRIVATE_KEY', 'IMAGEKIT_URL_ENDPOINT'])
    delete env[name]
  const demo = await spawnNode(
    'scripts/dev.ts',
    ['--preview', '--json', '--port', '0', '--server-port', '0', '--data', dataDir, '--out-dir', distDir],
    { env, ready: /^\{/, label: 'demo' },
  )
  const ready = JSON.parse(demo.readyLine) as Omit<E2EStack, 'dataDir' | 'privateKey' | 'distDir'>
  const stack: E2EStack = {
    demoUrl: ready.demoUrl,
    publicKey: ready.publicKey,
    urlEndpoint: ready.urlEndpoint,
    uploadEndpoint: ready.uploadEndpoint,
    dataDir,
    privateKey,
    distDir,
  }
  // Workers start after global setup and inherit this environment.
  process.env.IK_E2E_STACK = JSON.stringify(stack)
  return async () => {
    await demo.stop()
    await Promise.all([dataDir, distDir].map((dir) => rm(dir, { recursive: true, force: true })))
  }
}
