// The browser half: hydrates the server's markup with the same tree, recording every error React
// recovers from (a mismatch is one) where the test can read it.
import { createElement } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { App } from './tree.mjs'

globalThis.__ikEvents = []
globalThis.__ikRecoverable = []
hydrateRoot(document.getElementById('root'), createElement(App, { origin: location.origin }), {
  onRecoverableError(error, info) {
    globalThis.__ikRecoverable.push(`${error?.message ?? error}${info?.componentStack ?? ''}`)
  },
})
