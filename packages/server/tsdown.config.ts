import { defineConfig } from 'tsdown'

export default defineConfig({
  // The Node adapter is its own entry (`@ik-upload/server/node`), so the main entry's types name no
  // Node module and edge runtimes type-check against it without `@types/node`.
  entry: { index: 'src/index.ts', node: 'src/node.ts' },
  format: 'esm',
  dts: { eager: true },
  // No node: import anywhere (toNodeHandler only uses the req/res it is given), so the same build
  // runs on Node, Bun, Deno and edge runtimes. `fixedExtension`: .mjs/.d.mts, as package.json says
  // (neutral builds would otherwise emit .js).
  platform: 'neutral',
  fixedExtension: true,
  // @ik-upload/core is a dependency, so it stays external: an app that also uses the client gets
  // one copy of the protocol, not one bundled in here and one installed.
  clean: true,
})
