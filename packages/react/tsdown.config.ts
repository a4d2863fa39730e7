import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: 'esm',
  dts: true,
  platform: 'neutral',
  clean: true,
  // React and @ik-upload/core are peer/regular dependencies, so tsdown leaves them external.
  // Bundling drops module-level directives: put 'use client' back at the top of the entry.
  outputOptions: { banner: "'use client'" },
})
