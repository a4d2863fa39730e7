import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: 'esm',
  dts: { eager: true },
  platform: 'node',
  target: 'node20',
  // @ik-upload/core and @ik-upload/server are dependencies, so they stay external and are loaded
  // from their own published builds.
  clean: true,
})
