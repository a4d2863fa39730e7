import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: 'esm',
  dts: { eager: true },
  platform: 'node',
  target: 'node20',
  // core/protocol is bundled from its sources (see packages/server/tsdown.config.ts for why), so
  // `node dist/cli.mjs` runs whatever shape core's dist has.
  deps: { alwaysBundle: [/^@ik-upload\/core(\/|$)/] },
  inputOptions: { resolve: { conditionNames: ['@ik-upload/source', 'node', 'import', 'default'] } },
  clean: true,
})
