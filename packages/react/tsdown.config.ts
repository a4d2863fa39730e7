import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: 'esm',
  dts: true,
  platform: 'neutral',
  // .mjs/.d.mts, as package.json's exports say (a neutral build would otherwise emit .js).
  fixedExtension: true,
  clean: true,
  // React and @ik-upload/core are peer/regular dependencies, so tsdown leaves them external.
  // rolldown keeps the entry's 'use client' directive at the top of dist/index.mjs.
})
