import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript sources in tests and dev through this export
// condition (as TanStack does), so no build is needed before `vitest`.
const SOURCE = '@ik-upload/source'

const project = (name: string, environment: 'node' | 'happy-dom', setupFiles: string[] = []) => ({
  extends: true as const,
  test: {
    name,
    include: [`packages/${name}/src/**/*.test.{ts,tsx}`, `packages/${name}/test/**/*.test.{ts,tsx}`],
    environment,
    setupFiles,
  },
})

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    projects: [
      project('core', 'node'),
      project('react', 'happy-dom', ['packages/react/test/setup.ts']),
      project('msw', 'node'),
      project('server', 'node'),
      project('local-server', 'node'),
    ],
  },
})
