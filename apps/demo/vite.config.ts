import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

// Workspace packages resolve to their TypeScript sources (their `@ik-upload/source` export
// condition), so the demo runs on the kit as it is in the repo, with no build in between.
//
// This file imports nothing from the workspace: `vite` loads it under plain Node, which resolves
// packages to their (maybe unbuilt) dist. The auth backend is added by scripts/dev.ts instead.
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['@ik-upload/source', ...defaultClientConditions] },
  // Only VITE_IK_* reaches the bundle: the private key lives in IMAGEKIT_PRIVATE_KEY /
  // IK_LOCAL_PRIVATE_KEY, which no prefix here matches.
  envPrefix: 'VITE_IK_',
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
})
