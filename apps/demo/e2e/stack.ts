/** The servers global setup started, as the tests see them. */
export interface E2EStack {
  /** The built demo, served by `vite preview` with the auth backend. */
  demoUrl: string
  publicKey: string
  /** The local server's delivery base URL. */
  urlEndpoint: string
  uploadEndpoint: string
  /** The local server's data folder (temporary, removed after the run). */
  dataDir: string
  /** The private key the backend signs with: it must never reach the browser. */
  privateKey: string
  /** The demo build the preview server serves. */
  distDir: string
}

/** The stack of this run; only valid inside tests (global setup sets it before workers start). */
export function stack(): E2EStack {
  const json = process.env.IK_E2E_STACK
  if (!json)
    throw new Error('IK_E2E_STACK is not set: run the tests through playwright.config.ts (pnpm test:e2e).')
  return JSON.parse(json) as E2EStack
}
