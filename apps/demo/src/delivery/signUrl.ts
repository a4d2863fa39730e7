import { demoConfig } from '../demoConfig'

/** What the demo backend's signer answers. */
interface SignedUrl {
  url: string
  expiresAt: number
}

// One signing request per URL for the page's life: cards re-render, variants repeat.
const signed = new Map<string, Promise<string>>()

/**
 * `IKImage`'s `signedUrl` for private files: asks the demo backend to sign a delivery URL (the
 * browser has no private key; the backend calls `@ik-upload/server`'s `signDeliveryUrl`).
 */
export function signUrl(url: string): Promise<string> {
  let answer = signed.get(url)
  if (!answer) {
    answer = fetch(`${demoConfig.signedUrlEndpoint}?url=${encodeURIComponent(url)}`, { cache: 'no-store' })
      .then(async (response) => {
        if (!response.ok) throw new Error(`The URL signer answered HTTP ${response.status}.`)
        return ((await response.json()) as SignedUrl).url
      })
      .catch((error: unknown) => {
        signed.delete(url)
        throw error
      })
    signed.set(url, answer)
  }
  return answer
}
