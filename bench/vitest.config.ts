import { defaultClientConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// The render benchmark runs in happy-dom against the kit's sources (as the root config does).
export default defineConfig({
  resolve: { conditions: ['@ik-upload/source', ...defaultClientConditions] },
  test: { include: ['renders.test.tsx'], environment: 'happy-dom', testTimeout: 120_000 },
})
