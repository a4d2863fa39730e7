import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: 'esm',
  dts: true,
  // No node: import anywhere (toNodeHandler only uses the req/res it is given), so the same build
  // runs on Node, Bun, Deno and edge runtimes.
  platform: 'neutral',
  clean: true,
})
