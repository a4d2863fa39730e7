import { defineConfig } from 'tsdown'

export default defineConfig({
  entry: { index: 'src/index.ts' },
  // One module per source file, so that with package.json's `sideEffects: false` a bundler drops
  // every module an app does not import (IKDropzone and useDropzone for an app that uses IKUpload
  // only), whatever the code inside. Top-level calls also carry `/* @__PURE__ */`, which rolldown
  // keeps, for bundlers that ignore `sideEffects`.
  unbundle: true,
  format: 'esm',
  dts: true,
  platform: 'neutral',
  // .mjs/.d.mts, as package.json's exports say (a neutral build would otherwise emit .js).
  fixedExtension: true,
  clean: true,
  // React and @ik-upload/core are peer/regular dependencies, so tsdown leaves them external.
  // rolldown keeps each module's 'use client' directive at its top (splitProps has none: no hooks).
})
