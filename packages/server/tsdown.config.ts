import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: 'esm',
  dts: { eager: true },
  // No node: import anywhere (toNodeHandler only uses the req/res it is given), so the same build
  // runs on Node, Bun, Deno and edge runtimes. `fixedExtension`: .mjs/.d.mts, as package.json says
  // (neutral builds would otherwise emit .js).
  platform: 'neutral',
  fixedExtension: true,
  // core/protocol is bundled from its sources (a few kB of pure functions), so this build does not
  // depend on the shape of core's dist: core's own build currently emits .js while its exports
  // name .mjs files, and plain `node` cannot load it.
  deps: { alwaysBundle: [/^@ik-upload\/core(\/|$)/] },
  inputOptions: { resolve: { conditionNames: ['@ik-upload/source', 'import', 'default'] } },
  clean: true,
})
