/** Where the demo uploads, as scripts/dev.ts passed it in through VITE_IK_* (public values only). */
export interface DemoConfig {
  mode: 'local' | 'imagekit'
  publicKey: string
  urlEndpoint: string
  uploadEndpoint: string
  /** The demo backend's auth route (server/demoBackend.ts), on the demo's own origin. */
  authenticationEndpoint: string
  /** The demo backend's URL signer for private files. */
  signedUrlEndpoint: string
  /** The demo backend's v2 auth route (`POST {fields}` → `{token, fields}`), for `signer={signV2}`. */
  authenticationV2Endpoint: string
  /** Where v2 uploads go: the same server's `/api/v2/files/upload`. */
  uploadV2Endpoint: string
}

const env = import.meta.env

export const demoConfig: DemoConfig = {
  mode: env.VITE_IK_MODE === 'imagekit' ? 'imagekit' : 'local',
  publicKey: env.VITE_IK_PUBLIC_KEY ?? '',
  urlEndpoint: (env.VITE_IK_URL_ENDPOINT ?? '').replace(/\/+$/, ''),
  uploadEndpoint: env.VITE_IK_UPLOAD_ENDPOINT ?? '',
  authenticationEndpoint: '/api/auth',
  signedUrlEndpoint: '/api/signed-url',
  authenticationV2Endpoint: '/api/auth/v2',
  // The local server, ImageKit and a stand-in for it all serve v2 beside v1 under the same origin.
  uploadV2Endpoint: (env.VITE_IK_UPLOAD_ENDPOINT ?? '').replace('/api/v1/', '/api/v2/'),
}

/** False when the app was started by plain `vite` instead of `pnpm dev`, which passes the keys in. */
export const isConfigured = Boolean(
  demoConfig.publicKey && demoConfig.urlEndpoint && demoConfig.uploadEndpoint,
)
