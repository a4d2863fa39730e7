import { type ImgHTMLAttributes, type ReactNode, useState } from 'react'
import { deliveryPath } from '../delivery/deliveryPath'
import { useDeliveryUrl } from '../delivery/useDeliveryUrl'

interface DeliveryImageProps extends Omit<ImgHTMLAttributes<HTMLImageElement>, 'src'> {
  filePath: string
  /** A transformation for the `tr:` path segment, e.g. `w-300` or `n-ik_ml_thumbnail`. */
  transformation?: string
  isPrivate: boolean
}

/** An image served by the delivery endpoint; private ones through a URL the backend signed. */
export function DeliveryImage({
  filePath,
  transformation,
  isPrivate,
  alt,
  ...img
}: DeliveryImageProps): ReactNode {
  const src = useDeliveryUrl(deliveryPath(filePath, transformation), isPrivate)
  // The gallery outlives the server's data (a wiped .ik-data, another machine): say so, not a broken icon.
  const [failedSrc, setFailedSrc] = useState<string>()
  if (!src) return <div className="file-icon">signing…</div>
  if (failedSrc === src) return <div className="file-icon">not on the server</div>
  return <img {...img} alt={alt} src={src} onError={() => setFailedSrc(src)} />
}
