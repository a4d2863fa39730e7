import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: 'esm',
  dts: true,
  platform: 'neutral',
  // .mjs/.d.mts, as package.json's exports say (a neutral build would otherwise emit .js).
  fixedExtension: true,
  clean: true,
})
