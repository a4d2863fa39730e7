import { checkUploadOptions } from '@ik-upload/core/protocol'
import { IKUpload } from '@ik-upload/react'
import { type ReactNode, useState } from 'react'
import { GalleryCard } from '../components/GalleryCard'
import { ResponsePanel } from '../components/ResponsePanel'
import { OptionsForm } from '../options/OptionsForm'
import { EMPTY_OPTIONS_FORM, optionsFromForm } from '../options/optionsFromForm'
import { RequestPreview } from '../options/RequestPreview'
import { useDemoState } from '../state/DemoState'

/** Every upload option of the spec, the request it makes, and what the server answers. */
export function OptionsPage(): ReactNode {
  const { gallery, recordSuccess, recordError } = useDemoState()
  const latest = gallery.find((entry) => entry.source === 'options')
  const [form, setForm] = useState(EMPTY_OPTIONS_FORM)
  const { options, jsonErrors } = optionsFromForm(form)
  return (
    <>
      <header className="page-head">
        <h1>Every option</h1>
        <p>
          Set any upload option and watch the request change. Options left on “not sent” are not sent at all,
          so the server’s defaults apply. Then upload a file with exactly these options.
        </p>
      </header>
      <div className="grid-2">
        <OptionsForm form={form} jsonErrors={jsonErrors} onChange={setForm} />
        <div className="stack">
          <RequestPreview options={options} />
          <section className="card try" aria-labelledby="send-title">
            <h2 id="send-title" style={{ margin: 0, fontSize: 15 }}>
              Send it
            </h2>
            <IKUpload
              {...options}
              // Refuses bad option values before any request, as the preview above says.
              checkOptions={checkUploadOptions}
              className="ik-upload-button"
              aria-label="Upload with these options"
              onSuccess={(result, item) =>
                recordSuccess(result, {
                  isPrivate: options.isPrivateFile,
                  source: 'options',
                  fileName: item.file.name,
                })
              }
              onError={(error, item) => recordError(error, { fileName: item.file.name })}
            />
          </section>
          {latest && <GalleryCard entry={latest} />}
          <ResponsePanel />
        </div>
      </div>
    </>
  )
}
