import { checkUploadOptions, encodeUploadFields } from '@ik-upload/core/protocol'
import { IKUpload, signV2 } from '@ik-upload/react'
import { type ReactNode, useRef, useState } from 'react'
import { GalleryCard } from '../components/GalleryCard'
import { ResponsePanel } from '../components/ResponsePanel'
import { UploadStatus } from '../components/UploadStatus'
import { useUploadStatus } from '../components/useUploadStatus'
import { demoConfig } from '../demoConfig'
import { OptionsForm } from '../options/OptionsForm'
import { EMPTY_OPTIONS_FORM, optionsFromForm } from '../options/optionsFromForm'
import { RequestPreview } from '../options/RequestPreview'
import { SignedFields, type SignedPayload } from '../options/SignedFields'
import { SignerSwitch, type SigningVersion } from '../options/SignerSwitch'
import { useDemoState } from '../state/DemoState'

/** Every upload option of the spec, the request it makes, and what the server answers. */
export function OptionsPage(): ReactNode {
  const { gallery, recordSuccess, recordError } = useDemoState()
  const latest = gallery.find((entry) => entry.source === 'options')
  const [form, setForm] = useState(EMPTY_OPTIONS_FORM)
  const { options, jsonErrors } = optionsFromForm(form)
  const set = Object.values(options).filter((value) => value !== undefined).length
  const [version, setVersion] = useState<SigningVersion>('v1')
  const v2 = version === 'v2'
  // What a v2 upload asked the backend to sign (fixed when it starts; unset for v1), then what it signed.
  const asked = useRef<Record<string, string>>(undefined)
  const [signed, setSigned] = useState<SignedPayload>()
  const showSigned = (item: { file: File; fields?: Record<string, string> }) => {
    if (asked.current && item.fields)
      setSigned({ fileName: item.file.name, asked: asked.current, sent: item.fields })
  }
  const status = useUploadStatus({
    onSuccess: (result, item) => {
      showSigned(item)
      recordSuccess(result, {
        isPrivate: options.isPrivateFile,
        source: 'options',
        fileName: item.file.name,
      })
    },
    onError: (error, item) => {
      showSigned(item)
      recordError(error, { source: 'options', fileName: item.file.name })
    },
  })
  return (
    <>
      <header className="page-head">
        <h1>Every option</h1>
        <p>
          Set any upload option and watch the request change. Options left on “not sent” are not sent at all,
          so the server’s defaults apply. Then upload a file with exactly these options.
        </p>
      </header>
      {/* First on the page and sticky: on a phone the form is long, and sending must not wait for its end. */}
      <section className="card send-bar" aria-labelledby="send-title">
        <div className="send-bar-row">
          <h2 id="send-title">Send it</h2>
          <IKUpload
            ref={status.ref}
            {...options}
            // v2: the demo backend's /api/auth/v2 approves (and rewrites) the fields and signs them.
            {...(v2 && {
              signer: signV2,
              authenticationEndpoint: demoConfig.authenticationV2Endpoint,
              uploadEndpoint: demoConfig.uploadV2Endpoint,
            })}
            // Refuses bad option values before any request, as the preview says.
            checkOptions={checkUploadOptions}
            className="ik-upload-button"
            aria-label="Upload with these options"
            {...status.callbacks}
            onUploadStart={(file) => {
              asked.current = v2
                ? Object.fromEntries(
                    encodeUploadFields({ ...options, fileName: options.fileName || file.name }),
                  )
                : undefined
              setSigned(undefined)
              status.callbacks.onUploadStart(file)
            }}
          />
          <SignerSwitch value={version} onChange={setVersion} />
          <span className="queue-meta">
            {set === 0 ? 'no options set: server defaults' : `${set} option${set === 1 ? '' : 's'} set`}
          </span>
        </div>
        <UploadStatus file={status.file} onCancel={status.cancel} input={status.ref} />
      </section>
      <div className="grid-2">
        <OptionsForm form={form} jsonErrors={jsonErrors} onChange={setForm} />
        <div className="stack">
          <RequestPreview options={options} version={version} />
          {signed && <SignedFields payload={signed} />}
          {latest && <GalleryCard entry={latest} />}
          <ResponsePanel source="options" />
        </div>
      </div>
    </>
  )
}
