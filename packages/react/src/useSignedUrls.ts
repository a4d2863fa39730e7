'use client'
import { useEffect, useRef, useState } from 'react'
import type { SignUrl } from './IKContext'

/**
 * The delivery URLs to render: `urls` as they are without a signer; with one, `undefined` until the
 * signer has answered for all of them (so the server's markup and the first client render agree:
 * neither has a URL yet), then the signed ones. A signer that fails leaves the URLs unsigned: a
 * private file then fails to load, and the element's `error` event says so.
 */
export function useSignedUrls(urls: string[], sign: SignUrl | undefined): string[] | undefined {
  const key = urls.join('\n')
  // [key, ...signed URLs]: the answer for one list of URLs, never shown for another.
  const [signed, setSigned] = useState<string[]>()
  // The latest signer, read when signing: an inline arrow must not re-sign on every render.
  const signer = useRef(sign)
  signer.current = sign
  const signing = !!sign
  useEffect(() => {
    let live = true
    const list = key.split('\n')
    if (signing && key)
      Promise.all(list.map((url) => signer.current?.(url) ?? url)).then(
        (result) => live && setSigned([key, ...result]),
        () => live && setSigned([key, ...list]),
      )
    return () => {
      live = false
    }
  }, [key, signing])
  return sign ? (signed?.[0] === key ? signed.slice(1) : undefined) : urls
}
