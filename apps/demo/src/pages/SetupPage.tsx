import type { ReactNode } from 'react'

/** Shown when the app was started without `pnpm dev`, which passes in the server's URLs and key. */
export function SetupPage(): ReactNode {
  return (
    <main>
      <header className="page-head">
        <h1>Start the demo with pnpm dev</h1>
        <p>
          This page needs an upload server and an auth backend. From the repository root, run{' '}
          <code>pnpm dev</code>: it starts the local upload server and this demo together. Set{' '}
          <code>IMAGEKIT_PUBLIC_KEY</code>, <code>IMAGEKIT_PRIVATE_KEY</code> and{' '}
          <code>IMAGEKIT_URL_ENDPOINT</code> first to use hosted ImageKit.
        </p>
      </header>
    </main>
  )
}
