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
  const [signed, setSigned] = useState<{ key: string; urls: string[] }>()
  // The latest signer, read when signing: an inline arrow must not re-sign on every render.
  const signer = useRef(sign)
  signer.current = sign
  const signing = Boolean(sign)
  useEffect(() => {
    const current = signer.current
    if (!signing || !current || !key) return
    let live = true
    const list = key.split('\n')
    Promise.all(list.map((url) => current(url))).then(
      (result) => live && setSigned({ key, urls: result }),
      () => live && setSigned({ key, urls: list }),
    )
    return () => {
      live = false
    }
  }, [key, signing])
  if (!sign) return urls
  return signed?.key === key ? signed.urls : undefined
}
