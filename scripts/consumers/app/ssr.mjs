// Server rendering in plain Node: renders the page with the installed React and prints JSON with
// the markup, React's version and everything React logged while rendering (a warning is a failure).
import { format } from 'node:util'
import { createElement, version } from 'react'
import { renderToString } from 'react-dom/server'
import { App } from './tree.mjs'

const logged = []
for (const level of ['error', 'warn'])
  console[level] = (...args) => logged.push(`${level}: ${format(...args)}`)

const html = renderToString(createElement(App, { origin: process.env.IK_ORIGIN }))
process.stdout.write(JSON.stringify({ version, html, logged }))
