// @vitest-environment node
import { readFileSync } from 'node:fs'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { IKContext, IKDropzone, IKUpload, useUpload } from '../index'

function Progress() {
  const { items, progress, isUploading } = useUpload()
  return <p>{`${items.length} files, ${progress}%, ${isUploading ? 'busy' : 'idle'}`}</p>
}

describe('server rendering', () => {
  it('imports and renders to a string in Node, with no DOM', () => {
    expect(typeof document).toBe('undefined')
    const html = renderToString(
      <IKContext publicKey="public_test" authenticationEndpoint="/api/auth">
        <IKUpload id="picker" folder="/avatars" onSuccess={() => {}} />
        <IKDropzone label="Drop photos" />
        <Progress />
      </IKContext>,
    )
    expect(html).toContain('<input id="picker" type="file"/>')
    expect(html).toContain('Drop photos</button>')
    expect(html).toContain('role="status"')
    expect(html).toContain('data-status="idle"')
    expect(html).toContain('0 files, 0%, idle')
    expect(html).not.toContain('folder')
  })

  it('throws the wrap-me error on the server too', () => {
    expect(() => renderToString(<IKUpload />)).toThrow(/<IKContext/)
  })

  it("marks every entry and component file with 'use client'", () => {
    for (const file of [
      'index.ts',
      'IKContext.tsx',
      'IKUpload.tsx',
      'IKDropzone.tsx',
      'useUpload.ts',
      'useDropzone.ts',
    ])
      expect(
        readFileSync(new URL(`../${file}`, import.meta.url), 'utf8').startsWith("'use client'\n"),
        file,
      ).toBe(true)
  })
})
