// The page both sides render: the server with renderToString, the browser with hydrateRoot. Plain
// createElement calls, so Node runs this file as it is, with no JSX step.
import { IKContext, IKDropzone, IKUpload } from '@ik-upload/react'
import { createElement as h, useEffect } from 'react'

/** Renders nothing; its effect, which only a hydrated page runs, tells the test hydration is done. */
function Hydrated() {
  useEffect(() => {
    globalThis.__ikHydrated = true
  }, [])
  return null
}

/** What an upload ended with, pushed where the browser test can read it. */
const record = (kind) => (value) =>
  globalThis.__ikEvents?.push({ kind, detail: kind === 'success' ? value.filePath : String(value?.message) })

/** The page: IKContext around IKUpload and IKDropzone, every endpoint on the page's own origin. */
export function App({ origin }) {
  return h(
    IKContext,
    {
      publicKey: 'public_test_key',
      urlEndpoint: `${origin}/ik`,
      authenticationEndpoint: `${origin}/auth`,
      uploadEndpoint: `${origin}/api/v1/files/upload`,
    },
    h(
      'main',
      null,
      h('h1', null, 'Upload'),
      h(IKUpload, {
        id: 'ik-upload',
        'aria-label': 'Upload a file',
        fileName: 'consumer.txt',
        useUniqueFileName: false,
        onSuccess: record('success'),
        onError: record('error'),
      }),
      h(IKDropzone, { id: 'ik-dropzone', folder: '/drops' }),
      h(Hydrated),
    ),
  )
}
