import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { exec, tail } from './exec'
import { expect, runCheck } from './runCheck'

/**
 * A user's file that imports every public entry and uses a few of their types, as a React app with
 * a Node backend would. Kept as a string: under scripts/ the workspace's own type check would pick up
 * a .tsx file and resolve the imports against the sources.
 */
const CONSUMER = `import {
  createUploader,
  type UploaderOptions,
  UploadError,
  type UploadResponse,
  upload,
} from '@ik-upload/core'
import { type ErrorBody, errorBody, FILE_EXISTS } from '@ik-upload/core/protocol'
import { type LocalServer, startLocalServer } from '@ik-upload/local-server'
import { DEV_AUTH_ENDPOINT, DEV_PUBLIC_KEY, type UploadMock, uploadHandlers } from '@ik-upload/msw'
import {
  IKContext,
  IKDropzone,
  IKUpload,
  type IKUploadElement,
  type IKUploadProps,
  useUpload,
} from '@ik-upload/react'
import {
  type AuthenticationParameters,
  createAuthHandler,
  type FetchHandler,
  getAuthenticationParameters,
} from '@ik-upload/server'
import { createNodeAuthHandler, type NodeHandler } from '@ik-upload/server/node'
import { setupServer } from 'msw/node'
import { createServer } from 'node:http'
import { type ReactElement, useRef } from 'react'

const options: UploaderOptions = { publicKey: DEV_PUBLIC_KEY, authenticationEndpoint: DEV_AUTH_ENDPOINT }
export const uploader = createUploader({ ...options, concurrency: 2 })

export async function send(file: File): Promise<UploadResponse | ErrorBody> {
  try {
    return await upload(file, { ...options, fileName: file.name, tags: ['a', 'b'] })
  } catch (error) {
    if (error instanceof UploadError) return errorBody(\`\${error.code}: \${error.message}\`)
    throw error
  }
}
export const exists: string = FILE_EXISTS

const props: IKUploadProps = { folder: '/avatars', accept: 'image/*', onSuccess: (response) => response.url }

export function Page(): ReactElement {
  const input = useRef<IKUploadElement>(null)
  const { items, upload: add } = useUpload({ folder: '/queue' })
  return (
    <IKContext publicKey={DEV_PUBLIC_KEY} authenticationEndpoint={DEV_AUTH_ENDPOINT}>
      <IKUpload {...props} ref={input} onError={(error) => console.error(error.code)} />
      <IKDropzone label="Drop here" multiple>
        {(zone) => \`\${zone.status} \${items.length}\`}
      </IKDropzone>
      <button type="button" onClick={() => add([new File(['x'], 'x.txt')])}>
        upload
      </button>
      <button type="button" onClick={() => input.current?.abort()}>
        stop
      </button>
    </IKContext>
  )
}

export const handler: FetchHandler = createAuthHandler({ privateKey: 'private_test_key', allowedOrigins: '*' })
export const nodeHandler: NodeHandler = createNodeAuthHandler({ privateKey: 'private_test_key' })
export const params: Promise<AuthenticationParameters> = getAuthenticationParameters({ privateKey: 'k' })
createServer((request, response) => void nodeHandler(request, response))

const mock: UploadMock = uploadHandlers({ uploadEndpoint: 'https://upload.test/api/v1/files/upload' })
export const mswServer = setupServer(...mock.handlers)
export const local: Promise<LocalServer> = startLocalServer({ port: 0, dataDir: '.ik-data' })
`

/**
 * The edge case of the same promise: an app on an edge runtime has the DOM's Fetch types and no
 * Node types, and `@ik-upload/server`'s main entry must type-check there.
 */
const EDGE = `import { createAuthHandler, getAuthenticationParameters } from '@ik-upload/server'
import { upload } from '@ik-upload/core'

const handler = createAuthHandler({ privateKey: 'private_test_key' })
export default { fetch: (request: Request): Promise<Response> => handler(request) }
export const params = getAuthenticationParameters({ privateKey: 'private_test_key' })
export const send = (file: Blob) => upload(file, { publicKey: 'public_test_key', fileName: 'a.txt' })
`

const base = {
  target: 'es2022',
  lib: ['es2023', 'dom', 'dom.iterable'],
  jsx: 'react-jsx',
  strict: true,
  skipLibCheck: false,
  noEmit: true,
}

/** The compiler settings each check runs with; every one checks the libraries' .d.mts too. */
const CONFIGS: Array<{ name: string; file: string; compilerOptions: Record<string, unknown> }> = [
  {
    name: 'module esnext, moduleResolution bundler',
    file: 'consumer.tsx',
    compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler', types: ['node'] },
  },
  {
    name: 'module nodenext, moduleResolution nodenext',
    file: 'consumer.tsx',
    compilerOptions: { ...base, module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] },
  },
  {
    name: '@ik-upload/server on an edge runtime (bundler, no Node types)',
    file: 'edge.ts',
    compilerOptions: { ...base, module: 'esnext', moduleResolution: 'bundler', types: [] },
  },
]

/**
 * `tsc --noEmit` with `skipLibCheck: false` over a file importing every public entry, with the
 * app's TypeScript (6.0.3), @types/react 19, @types/node 20 and msw 2.15.0 (msw's peer).
 */
export async function checkTypes(app: string): Promise<void> {
  const dir = join(app, 'types')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'consumer.tsx'), CONSUMER)
  writeFileSync(join(dir, 'edge.ts'), EDGE)
  const tsc = join(app, 'node_modules/typescript/bin/tsc')
  for (const [index, config] of CONFIGS.entries()) {
    const project = join(dir, `tsconfig.${index}.json`)
    writeFileSync(
      project,
      JSON.stringify({ compilerOptions: config.compilerOptions, files: [config.file] }, null, 2),
    )
    await runCheck(`tsc --noEmit, skipLibCheck false: ${config.name}`, async () => {
      const ran = await exec(process.execPath, [tsc, '-p', project, '--pretty', 'false'], { cwd: dir })
      expect(ran.code === 0, tail(ran.output, 40))
      return `${config.file} and every .d.mts it reaches`
    })
  }
}
