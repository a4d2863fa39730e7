import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build, type Rolldown } from 'vite'
import { expect, runCheck } from './runCheck'

const root = resolve(import.meta.dirname, '../..')

/**
 * Strings only the drop zone has, taken from packages/react/src: IKDropzone's default label and its
 * live region, useDropzone's data attributes, its visually-hidden style and its drag handling.
 * React DOM holds none of them, so finding one in a bundle means dropzone code shipped.
 */
export const DROPZONE_MARKERS = [
  'Choose files',
  'aria-live',
  'data-drop-target',
  'data-status',
  'rect(0 0 0 0)',
  'inset(50%)',
  'dropEffect',
]

/** The published modules that are the drop zone. */
const DROPZONE_MODULES = ['@ik-upload/react/dist/IKDropzone.mjs', '@ik-upload/react/dist/useDropzone.mjs']

interface Bundle {
  code: string
  /** Module ids that put code into the output (tree-shaken modules have nothing rendered). */
  rendered: string[]
}

/**
 * A Vite production build of an app under the scratch app, with the workspace's Vite (the root
 * devDependency, 8.3.8) run with `root` at that app and no config file: packages resolve from the
 * scratch app's node_modules, so the published tarballs are what gets bundled, React included.
 */
async function viteBuild(app: string, name: string, entry: string): Promise<Bundle> {
  const dir = join(app, name)
  mkdirSync(dir, { recursive: true })
  copyFileSync(join(import.meta.dirname, 'app/vite', entry), join(dir, 'main.jsx'))
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>app</title></head>\n' +
      '<body><div id="root"></div><script type="module" src="/main.jsx"></script></body>\n</html>\n',
  )
  const output = await build({
    root: dir,
    configFile: false,
    envFile: false,
    logLevel: 'silent',
    mode: 'production',
    build: { write: false, modulePreload: false, reportCompressedSize: false, copyPublicDir: false },
  })
  const chunks = (Array.isArray(output) ? output : [output as Rolldown.RolldownOutput])
    .flatMap((result) => result.output)
    .filter((file): file is Rolldown.OutputChunk => file.type === 'chunk')
  return {
    code: chunks.map((chunk) => chunk.code).join('\n'),
    rendered: chunks.flatMap((chunk) =>
      Object.entries(chunk.modules)
        .filter(([, module]) => module.renderedLength > 0)
        .map(([id]) => id),
    ),
  }
}

const has = (bundle: Bundle, module: string) => bundle.rendered.some((id) => id.endsWith(module))

/**
 * A Vite production build of an app that imports only `IKContext` and `IKUpload` holds no dropzone
 * code: neither the dropzone's modules nor any of its strings. A control build of the same app
 * with `IKDropzone` must hold every marker, so a marker that stopped meaning anything (renamed in
 * the source) fails the check instead of passing it vacuously.
 */
export async function checkViteTreeShaking(app: string): Promise<void> {
  await runCheck('vite build: an app importing only IKUpload ships no dropzone code', async () => {
    const sources = ['IKDropzone.tsx', 'useDropzone.ts']
      .map((file) => readFileSync(join(root, 'packages/react/src', file), 'utf8'))
      .join('\n')
    const stale = DROPZONE_MARKERS.filter((marker) => !sources.includes(marker))
    expect(stale.length === 0, `markers no longer in packages/react/src: ${stale.join(', ')}`)

    const control = await viteBuild(app, 'vite-with-dropzone', 'withDropzone.jsx')
    const missing = DROPZONE_MARKERS.filter((marker) => !control.code.includes(marker))
    expect(
      missing.length === 0 && DROPZONE_MODULES.every((module) => has(control, module)),
      `the control build (with IKDropzone) lacks ${missing.join(', ') || 'the dropzone modules'}`,
    )

    const app1 = await viteBuild(app, 'vite-upload-only', 'uploadOnly.jsx')
    expect(
      has(app1, '@ik-upload/react/dist/IKUpload.mjs') && app1.code.includes('Wrap IKUpload'),
      'the IKUpload-only build lacks IKUpload itself (its module or useIKConfig message)',
    )
    const shipped = [
      ...DROPZONE_MODULES.filter((module) => has(app1, module)),
      ...DROPZONE_MARKERS.filter((marker) => app1.code.includes(marker)).map((marker) => `'${marker}'`),
    ]
    expect(shipped.length === 0, `the IKUpload-only build holds dropzone code: ${shipped.join(', ')}`)
    return `${DROPZONE_MARKERS.length} markers absent, present in the control; ${app1.code.length.toLocaleString('en-US')} B of JS`
  })
}
