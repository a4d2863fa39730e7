import { useEffect, useState } from 'react'
import { demoConfig } from '../demoConfig'

/** What the demo backend's signer answers. */
interface SignedUrl {
  url: string
  expiresAt: number
}

// One signing request per path for the page's life: cards re-render, variants repeat.
const signed = new Map<string, Promise<string>>()

/** Asks the demo backend to sign a private delivery path: the browser has no private key. */
export function signDeliveryUrl(path: string): Promise<string> {
  let url = signed.get(path)
  if (!url) {
    url = fetch(`${demoConfig.signedUrlEndpoint}?path=${encodeURIComponent(path)}`, { cache: 'no-store' })
      .then(async (response) => {
        if (!response.ok) throw new Error(`The URL signer answered HTTP ${response.status}.`)
        return ((await response.json()) as SignedUrl).url
      })
      .catch((error: unknown) => {
        signed.delete(path)
        throw error
      })
    signed.set(path, url)
  }
  return url
}

/**
 * The URL that serves `path` (see `deliveryPath`): the plain `urlEndpoint/path` for public files, a
 * signed one for private files (undefined until the backend answered).
 */
export function useDeliveryUrl(path: string, isPrivate: boolean): string | undefined {
  const plain = `${demoConfig.urlEndpoint}/${path}`
  const [url, setUrl] = useState<string | undefined>(isPrivate ? undefined : plain)
  useEffect(() => {
    if (!isPrivate) return setUrl(plain)
    let live = true
    setUrl(undefined)
    signDeliveryUrl(path).then(
      (signedUrl) => live && setUrl(signedUrl),
      () => live && setUrl(undefined),
    )
    return () => {
      live = false
    }
  }, [path, isPrivate, plain])
  return url
}
