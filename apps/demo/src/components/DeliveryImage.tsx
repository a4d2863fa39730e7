import type { ImgHTMLAttributes, ReactNode } from 'react'
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
  if (!src) return <div className="file-icon">signing…</div>
  return <img {...img} alt={alt} src={src} />
}
