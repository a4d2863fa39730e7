import { IKImage, type IKImageProps } from '@ik-upload/react'
import { type ReactNode, useEffect, useState } from 'react'
import { signUrl } from '../delivery/signUrl'
import { useServerStatus } from '../state/ServerStatus'

interface DeliveryImageProps extends IKImageProps {
  /** Private files load through URLs the demo backend signs. */
  isPrivate: boolean
}

/** Why an image did not load: its server is down, or it answered without the file. */
type Failure = { key: string; reason: 'down' | 'missing' }

/**
 * An `IKImage` of an uploaded file; private ones through signed URLs. The gallery outlives the
 * server's data (a wiped .ik-data, another machine) and the server itself may be stopped, so a
 * failed image asks whether the server answers: if not it says "server unreachable" and loads
 * again once the server is back; if it does, the file is "not on the server".
 */
export function DeliveryImage({ isPrivate, onError, ...image }: DeliveryImageProps): ReactNode {
  const { state, check } = useServerStatus()
  const [failed, setFailed] = useState<Failure>()
  const key = `${image.src}\n${JSON.stringify(image.transformation)}`
  const current = failed?.key === key ? failed : undefined
  const waitingForServer = current?.reason === 'down'
  useEffect(() => {
    if (waitingForServer && state === 'up') setFailed(undefined)
  }, [waitingForServer, state])
  if (current)
    return (
      <div className="file-icon" data-testid="image-failure" data-reason={current.reason}>
        {current.reason === 'down' ? 'server unreachable: shown when it is back' : 'not on the server'}
      </div>
    )
  return (
    <IKImage
      {...image}
      signedUrl={isPrivate ? signUrl : undefined}
      onError={(event) => {
        onError?.(event)
        void check().then((answered) => setFailed({ key, reason: answered ? 'missing' : 'down' }))
      }}
    />
  )
}
