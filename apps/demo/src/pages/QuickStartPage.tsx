import { IKUpload, type UploadItem } from '@ik-upload/react'
import { type ReactNode, useState } from 'react'
import { CodeBlock } from '../components/CodeBlock'
import { GalleryCard } from '../components/GalleryCard'
import { ProgressBar } from '../components/ProgressBar'
import { ResponsePanel } from '../components/ResponsePanel'
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

/** Where one file stands, from IKUpload's callbacks. */
interface Progress {
  name: string
  percent: number
  status: UploadItem['status']
}

/** The one-line `<IKUpload>`: pick a file, it uploads, the response and the image appear. */
export function QuickStartPage(): ReactNode {
  const { gallery, recordSuccess, recordError } = useDemoState()
  const [progress, setProgress] = useState<Progress>()
  const latest = gallery.find((entry) => entry.source === 'quick')
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
              className="ik-upload-button"
              aria-label="Upload a file"
              onUploadStart={(file) => setProgress({ name: file.name, percent: 0, status: 'uploading' })}
              onUploadProgress={({ loaded, total }, item) =>
                setProgress({
                  name: item.file.name,
                  percent: total ? (loaded * 100) / total : 0,
                  status: 'uploading',
                })
              }
              onSuccess={(result, item) => {
                setProgress({ name: item.file.name, percent: 100, status: 'success' })
                recordSuccess(result, { source: 'quick', fileName: item.file.name })
              }}
              onError={(error, item) => {
                setProgress({ name: item.file.name, percent: 0, status: 'error' })
                recordError(error, { fileName: item.file.name })
              }}
            />
            {progress && (
              <div className="queue-main">
                <div className="queue-line">
                  <span className="queue-name">{progress.name}</span>
                  <span className="badge" data-status={progress.status}>
                    {progress.status === 'uploading' ? `${Math.round(progress.percent)}%` : progress.status}
                  </span>
                </div>
                <ProgressBar
                  value={progress.percent}
                  label={`Upload of ${progress.name}`}
                  status={progress.status}
                />
              </div>
            )}
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
            <CodeBlock>{snippet}</CodeBlock>
          </section>
        </div>
        <div className="stack">
          {latest && <GalleryCard entry={latest} />}
          <ResponsePanel />
        </div>
      </div>
    </>
  )
}
