import { IKImage, type IKImageProps } from '@ik-upload/react'
import { type ReactNode, useState } from 'react'
import { signUrl } from '../delivery/signUrl'

interface DeliveryImageProps extends IKImageProps {
  /** Private files load through URLs the demo backend signs. */
  isPrivate: boolean
}

/**
 * An `IKImage` of an uploaded file; private ones through signed URLs. The gallery outlives the
 * server's data (a wiped .ik-data, another machine): a file that fails to load says so, not a
 * broken icon.
 */
export function DeliveryImage({ isPrivate, onError, ...image }: DeliveryImageProps): ReactNode {
  const [failed, setFailed] = useState<string>()
  const key = `${image.src}\n${JSON.stringify(image.transformation)}`
  if (failed === key) return <div className="file-icon">not on the server</div>
  return (
    <IKImage
      {...image}
      signedUrl={isPrivate ? signUrl : undefined}
      onError={(event) => {
        onError?.(event)
        setFailed(key)
      }}
    />
  )
}
