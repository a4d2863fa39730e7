import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { defineMain } from '@storybook/react-vite/node'
import { defaultClientConditions, mergeConfig, type Plugin } from 'vite'

// Everything is in this one file: Storybook's loader of main.ts wants relative imports with
// explicit extensions, which this repo's TypeScript settings do not allow.

/** msw's service worker script; preview.tsx registers it under this name, beside iframe.html. */
const WORKER_FILE = 'mockServiceWorker.js'

/**
 * Serves msw's worker script in `storybook dev` and emits it into `storybook-static` on build, read
 * from the installed msw each time: nothing generated is committed, and the script always matches
 * the msw version the handlers run on (msw warns when the two differ).
 */
function mswWorker(): Plugin {
  const source = () => readFileSync(createRequire(import.meta.url).resolve(`msw/${WORKER_FILE}`), 'utf8')
  return {
    name: 'ik-upload:msw-worker',
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if (!request.url?.split('?')[0]?.endsWith(`/${WORKER_FILE}`)) return next()
        response.setHeader('Content-Type', 'text/javascript')
        response.end(source())
      })
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: WORKER_FILE, source: source() })
    },
  }
}

export default defineMain({
  framework: '@storybook/react-vite',
  // Stories sit beside their components; the custom-UI ones, not one component's, in src/stories.
  stories: ['../packages/*/src/**/*.stories.tsx'],
  // Docs pages (autodocs, opted into with `tags: ['autodocs']` in each meta) and their props tables.
  addons: ['@storybook/addon-docs'],
  typescript: {
    // The props tables come from the JSDoc of the types, one source: the default react-docgen reads
    // only the component's own file, so every option typed in @ik-upload/core (most of them) had no
    // description and no default. react-docgen-typescript asks the TypeScript checker, which follows
    // the imports (to the sources, through tsconfig's `@ik-upload/source` condition) and reads each
    // prop's `@default` tag as its default.
    reactDocgen: 'react-docgen-typescript',
    reactDocgenTypescriptOptions: {
      // The kit's own props (packages/*/src, wherever they are declared); React's DOM attributes
      // (@types/react, in node_modules) would bury them under some 300 rows.
      propFilter: (prop) => {
        // A default from a `@default` tag is written for the reader (`'/'`, `none`, `the file's own
        // name`), but Storybook quotes every string prop's react-docgen-typescript default again
        // (meant for a destructured `= 'text'`, which comes bare): `"'/'"`, `"none"`. Marking it as
        // not-RDT (`computed`) shows it as written. Destructured defaults keep their quotes.
        if (prop.defaultValue && prop.defaultValue.value === prop.tags?.default)
          prop.defaultValue = { ...prop.defaultValue, computed: false }
        return !prop.parent?.fileName.includes('node_modules')
      },
      // Unions of literals ('query' | 'path') list their values, for radio controls and the table.
      shouldExtractLiteralValuesFromEnum: true,
      shouldRemoveUndefinedFromOptional: true,
    },
  },
  // No telemetry, and no "what's new" fetch from the dev server: it works on a closed network.
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  viteFinal: (config) =>
    mergeConfig(config, {
      // Workspace packages resolve to their TypeScript sources, as in vitest.config.ts: no build first.
      resolve: { conditions: ['@ik-upload/source', ...defaultClientConditions] },
      plugins: [mswWorker()],
      build: {
        rolldownOptions: {
          // Storybook is client-only: the kit's 'use client' directives are meant for the package
          // builds (tsdown puts them back), so the bundler dropping them here is expected, not news.
          onwarn(warning, warn) {
            if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
          },
        },
      },
    }),
})
