import { IKUpload } from '@ik-upload/react'
import type { ReactNode } from 'react'
import { CodeBlock } from '../components/CodeBlock'
import { GalleryCard } from '../components/GalleryCard'
import { ResponsePanel } from '../components/ResponsePanel'
import { UploadStatus } from '../components/UploadStatus'
import { useUploadStatus } from '../components/useUploadStatus'
import { demoConfig } from '../demoConfig'
import { useDemoState } from '../state/DemoState'

const snippet = `import { IKContext, IKUpload } from '@ik-upload/react'

<IKContext
  publicKey="${demoConfig.publicKey}"
  urlEndpoint="${demoConfig.urlEndpoint}"
  uploadEndpoint="${demoConfig.uploadEndpoint}"
  authenticationEndpoint="${demoConfig.authenticationEndpoint}"
>
  <IKUpload onSuccess={(res) => console.log(res.url)} />
</IKContext>`

/** The one-line `<IKUpload>`: pick a file, it uploads, the response and the image appear. */
export function QuickStartPage(): ReactNode {
  const { gallery, recordSuccess, recordError } = useDemoState()
  const latest = gallery.find((entry) => entry.source === 'quick')
  const status = useUploadStatus({
    onSuccess: (result, item) => recordSuccess(result, { source: 'quick', fileName: item.file.name }),
    onError: (error, item) => recordError(error, { source: 'quick', fileName: item.file.name }),
  })
  return (
    <>
      <header className="page-head">
        <h1>Upload in one line</h1>
        <p>
          <code>&lt;IKUpload /&gt;</code> is a file input that signs, uploads and reports. Pick an image: it
          goes to the {demoConfig.mode === 'local' ? 'local upload server' : 'ImageKit upload API'}, which
          stores it and measures it.
        </p>
      </header>
      <div className="hero">
        <div className="stack">
          <section className="card try" aria-labelledby="try-title">
            <h2 id="try-title" style={{ margin: 0, fontSize: 15 }}>
              Try it
            </h2>
            <IKUpload
              ref={status.ref}
              className="ik-upload-button"
              aria-label="Upload a file"
              {...status.callbacks}
            />
            <UploadStatus file={status.file} onCancel={status.cancel} input={status.ref} />
            <ol className="steps">
              <li>The kit checks the options and the file size locally.</li>
              <li>
                It asks <code>{demoConfig.authenticationEndpoint}</code> for a one-time signature (the private
                key stays on the server).
              </li>
              <li>It sends the multipart request and reports progress as bytes leave.</li>
            </ol>
          </section>
          <section className="card" aria-labelledby="code-title">
            <h2 id="code-title">The code</h2>
            <p className="hint">Everything this page needs, with the demo’s own values.</p>
            <CodeBlock label="Example code">{snippet}</CodeBlock>
          </section>
        </div>
        <div className="stack">
          {latest && <GalleryCard entry={latest} />}
          <ResponsePanel source="quick" />
        </div>
      </div>
    </>
  )
}
