/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** `local` (the repo's upload server) or `imagekit` (hosted), set by scripts/dev.ts. */
  readonly VITE_IK_MODE?: string
  readonly VITE_IK_PUBLIC_KEY?: string
  readonly VITE_IK_URL_ENDPOINT?: string
  readonly VITE_IK_UPLOAD_ENDPOINT?: string
}
