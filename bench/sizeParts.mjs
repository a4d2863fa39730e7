#!/usr/bin/env node
// What each part of the upload path costs in the size budgets: builds variants of core's sources,
// each with one part removed or restructured, exactly as published (tsdown), drops each build into
// the scratch app a `node bench/size.mjs --keep` run left, and prints how every budget row moves
// (esbuild / vite, gzip -9 bytes). A tool for deciding what to cut, not a test: when core changes,
// a variant whose text no longer matches fails loudly and needs its edit updated.
//
//   node bench/size.mjs --keep            (prints the app's folder)
//   node bench/sizeParts.mjs --app=DIR [filter]
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'tsdown'
import { measureEsbuild, measureVite } from './bundleSize.mjs'

const ROWS = {
  'upload()': "export { upload } from '@ik-upload/core'",
  'createUploader()': "export { createUploader } from '@ik-upload/core'",
  'IKContext+IKUpload': "export { IKContext, IKUpload } from '@ik-upload/react'",
  '+useUpload': "export { IKContext, IKUpload, useUpload } from '@ik-upload/react'",
  '+IKDropzone': "export { IKContext, IKUpload, useUpload, IKDropzone } from '@ik-upload/react'",
}

const CU = 'client/createUploader.ts'
const UP = 'client/upload.ts'
const FA = 'client/fetchAuthParams.ts'
const CHECK = 'protocol/checkUploadOptions.ts'
/** An edit: `from` (a string or a RegExp) must match once in `file`. */
const edit = (file, from, to = '') => ({ file, from, to })

/** Each variant removes one part (or restructures without loss, where the name says so). */
const VARIANTS = [
  [
    'no loss: createUploader sends Files without describeSource()',
    edit(
      UP,
      `export async function upload(
  file: UploadSource,
  options: UploadOptions,
  { signal, onProgress, timeout }: UploadCallOptions = {},
): Promise<UploadResponse> {
  const url = options.uploadEndpoint || IMAGEKIT_UPLOAD_ENDPOINT
  const source = describeSource(file)`,
      `export const upload = (
  file: UploadSource,
  options: UploadOptions,
  call?: UploadCallOptions,
): Promise<UploadResponse> =>
  Promise.resolve().then(() => uploadSource(file, describeSource(file), options, call))

export async function uploadSource(
  file: UploadSource,
  source: { size?: number; name?: string },
  options: UploadOptions,
  { signal, onProgress, timeout }: UploadCallOptions = {},
): Promise<UploadResponse> {
  const url = options.uploadEndpoint || IMAGEKIT_UPLOAD_ENDPOINT`,
    ),
    edit(
      CU,
      `type UploadResponse, upload } from './upload'`,
      `type UploadResponse, uploadSource } from './upload'`,
    ),
    edit(
      CU,
      'const result = await upload(\n            file,\n',
      'const result = await uploadSource(\n            file,\n            file,\n',
    ),
  ],
  [
    'image dimension checks (createImageBitmap)',
    edit(
      CU,
      'const { validateFile, minWidth = 0, minHeight = 0, maxWidth = Infinity, maxHeight = Infinity } = options',
      'const { validateFile } = options',
    ),
    edit(CU, / {4}\/\/ Any limit set makes[\s\S]*?\n {4}}\n {2}}/, '  }'),
  ],
  [
    'accept restriction',
    edit(CU, /\/\*\* `<input accept>` matching[\s\S]*?\n}\n/),
    edit(CU, / {4}if \(accept && !accepts\(file, accept\)\)\n.*\n/),
    edit(CU, 'const { accept, maxFiles', 'const { maxFiles'),
  ],
  ['maxFiles restriction', edit(CU, / {4}if \(counted >= maxFiles\).*\n/), edit(CU, 'maxFiles = Infinity, ')],
  [
    'validateFile',
    edit(CU, / {4}const verdict = await validateFile\?\.\(file\)\n.*\n.*\n/),
    edit(CU, 'const { validateFile, ', 'const { '),
  ],
  [
    'overrideParameters',
    edit(CU, /mergeOptions\(options, await options\.overrideParameters\?\.\(file\)\)/, 'options'),
  ],
  [
    'retries (backoff, jitter, Retry-After, sleep, isRetryable)',
    edit(CU, /if \(signal\.aborted \|\| attempt > .*\) throw error/, 'throw error'),
    edit(CU, / {10}const \{ retryAfter \} = error as UploadError[\s\S]*?signal\)\n/),
  ],
  ['Retry-After read in upload()', edit(UP, / {6}retryAfter: Number\(.*\n/)],
  ['coalesced notifications', edit(CU, 'timer ??= setTimeout(notify, 50)', 'notify()')],
  [
    'previewUrl',
    edit(CU, / {10}previewUrl: .*\n/),
    edit(CU, / {4}for \(const item of state\.items\)\n {6}if \(item\.previewUrl.*\n/),
  ],
  [
    'derived loaded/total/progress/results/errors',
    edit(
      CU,
      / {2}let loaded = 0\n[\s\S]*? {4}errors: items\.flatMap.*\n/,
      '  return {\n    items,\n    isUploading: !items.every(isDone),\n',
    ),
  ],
  [
    'try/catch around callbacks',
    edit(CU, / {2}try \{\n {4}callback\?\.\(\.\.\.args\)\n[\s\S]*?\n {2}}\n/, '  callback?.(...args)\n'),
  ],
  ["'uploading' status after auth", edit(CU, / {14}\/\/ Wraps the auth source[\s\S]*?\}\),\n/)],
  [
    'upload(): string sources (base64, data URI, URL)',
    edit(
      UP,
      / {2}if \(typeof file !== 'string'\) throw badSource\(\)[\s\S]*?>> 2 \}\n/,
      '  throw badSource()\n',
    ),
  ],
  [
    'upload(): fetch transport fallback',
    edit(UP, /options\.transport \?\? \(typeof XMLHttpRequest.*\)/, 'options.transport ?? xhrTransport'),
  ],
  [
    'upload(): server message/help in errors',
    edit(
      UP,
      / {4}!ok && typeof json\?\.message === 'string'[\s\S]*?help: typeof json\?\.help.*\n/,
      "    'HTTP error',\n    {\n      status,\n",
    ),
  ],
  [
    'upload(): option rules, all (checkUploadOptions)',
    edit(UP, / {4}: checkUploadOptions\(.*\)/, '    : undefined'),
  ],
  ['option rule: tags', edit(CHECK, '  tags: isValidTags,\n')],
  ['option rule: folder', edit(CHECK, '  folder: isValidFolder,\n')],
  ['option rule: customCoordinates', edit(CHECK, '  customCoordinates: isValidCustomCoordinates,\n')],
  ['option rule: responseFields', edit(CHECK, '  responseFields: isValidResponseFields,\n')],
  [
    'auth: reply checks (token, signature, expire)',
    edit(FA, / {2}if \(missing\) throw fail[\s\S]*?in the past\.`\)\n/),
  ],
  [
    'auth: authenticator() raced against abort',
    edit(
      FA,
      / {6}reply = await Promise\.race\(\[[\s\S]*?\]\)\n/,
      '      reply = await authenticator({ signal: timed })\n',
    ),
  ],
  [
    'auth: authenticationRequest',
    edit(FA, / {6}const init =\n.*\n/),
    edit(FA, '{ ...init, method: ', '{ method: '),
  ],
  [
    'auth: JSON error quotes the reply',
    edit(FA, /`did not return JSON \(it starts with .*\)\.`/, "'did not return JSON.'"),
  ],
]

const args = process.argv.slice(2)
const app = args.find((arg) => arg.startsWith('--app='))?.slice('--app='.length)
const filter = args.find((arg) => !arg.startsWith('--'))
if (!app) throw new Error('Pass --app=DIR, the scratch app of a `node bench/size.mjs --keep` run.')

const coreSrc = resolve(import.meta.dirname, '../packages/core/src')
const coreDist = join(app, 'node_modules/@ik-upload/core/dist')
const work = mkdtempSync(join(tmpdir(), 'ik-upload-size-parts-'))
const published = join(work, 'published-dist')
cpSync(coreDist, published, { recursive: true })

/** Builds core from `src` as tsdown publishes it, into the app, and measures every row. */
async function measureRows(src) {
  await build({
    config: false,
    // Both entries, as published: the shared chunk they make is part of what is measured.
    entry: { index: join(src, 'index.ts'), 'protocol/index': join(src, 'protocol/index.ts') },
    format: 'esm',
    dts: false,
    platform: 'neutral',
    fixedExtension: true,
    clean: true,
    outDir: coreDist,
    external: ['zod'],
    logLevel: 'silent',
  })
  const sizes = {}
  for (const [row, code] of Object.entries(ROWS)) {
    const [esbuild, vite] = [await measureEsbuild({ app, code }), await measureVite({ app, code })]
    sizes[row] = [esbuild.gzip, vite.gzip]
  }
  return sizes
}

try {
  const base = await measureRows(coreSrc)
  const header = Object.keys(ROWS)
    .map((row) => row.padStart(19))
    .join('')
  console.log(`${'core built from'.padEnd(62)}${header}`)
  console.log(
    `${'the workspace (esbuild/vite)'.padEnd(62)}${Object.values(base)
      .map((s) => s.join('/').padStart(19))
      .join('')}`,
  )
  console.log(`${'change when removed (esbuild/vite)'.padEnd(62)}`)
  for (const [name, ...edits] of VARIANTS.filter(([name]) => !filter || name.includes(filter))) {
    const src = join(work, 'src')
    rmSync(src, { recursive: true, force: true })
    cpSync(coreSrc, src, { recursive: true, filter: (path) => !path.includes('__tests__') })
    for (const { file, from, to } of edits) {
      const text = readFileSync(join(src, file), 'utf8')
      const next = text.replace(from, to)
      if (next === text) throw new Error(`${name}: ${file} no longer has ${from}; update the variant`)
      writeFileSync(join(src, file), next)
    }
    const sizes = await measureRows(src)
    const cells = Object.keys(ROWS).map((row) =>
      sizes[row]
        .map((bytes, i) => bytes - base[row][i])
        .join('/')
        .padStart(19),
    )
    console.log(name.padEnd(62) + cells.join(''))
  }
} finally {
  // The app gets its published core back.
  rmSync(coreDist, { recursive: true, force: true })
  cpSync(published, coreDist, { recursive: true })
  rmSync(work, { recursive: true, force: true })
}
