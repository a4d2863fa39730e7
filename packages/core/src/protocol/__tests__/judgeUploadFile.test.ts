import { describe, expect, it } from 'vitest'
import { parseChecks } from '../checks'
import { judgeUploadFile, type UploadFileContext } from '../judgeUploadFile'
import { type JudgedUpload, newJudgedUpload } from '../judgeUploadRequest'

const upload = (overrides: Partial<JudgedUpload> = {}): JudgedUpload => ({
  ...newJudgedUpload('pk', 't', 'photo.jpg'),
  folderSegments: ['images', 'products'],
  folder: '/images/products',
  ...overrides,
})

const storage = (paths: string[] = [], extra: Partial<UploadFileContext> = {}): UploadFileContext => ({
  fileExists: (filePath) => paths.includes(filePath),
  ...extra,
})

const jpeg = { size: 1000, mime: 'image/jpeg' }

describe('judgeUploadFile', () => {
  it('refuses a file over 25 MB by default with the exact message, and takes exactly 25 MB', async () => {
    expect(await judgeUploadFile(upload(), { size: 26_214_401, mime: 'image/jpeg' }, storage())).toEqual({
      ok: false,
      status: 400,
      message: 'Your request contains invalid file parameter. The file size exceeds limits.',
    })
    expect((await judgeUploadFile(upload(), { size: 26_214_400, mime: 'image/jpeg' }, storage())).ok).toBe(
      true,
    )
  })

  // Issue 9, defect 11: a 0-byte file was stored. Refused here, so msw and the local server agree.
  it('refuses a 0-byte file with our empty-file message, and takes 1 byte', async () => {
    expect(await judgeUploadFile(upload(), { size: 0, mime: 'application/octet-stream' }, storage())).toEqual(
      {
        ok: false,
        status: 400,
        message: 'Your request contains invalid file parameter. The file is empty.',
      },
    )
    expect((await judgeUploadFile(upload(), { size: 1, mime: 'text/plain' }, storage())).ok).toBe(true)
  })

  it('applies a configured size limit', async () => {
    const judgement = await judgeUploadFile(
      upload(),
      { size: 101, mime: 'image/jpeg' },
      storage([], { maxFileSize: 100 }),
    )
    expect(judgement).toMatchObject({
      ok: false,
      message: 'Your request contains invalid file parameter. The file size exceeds limits.',
    })
  })

  it('refuses a file that fails the checks expression with the exact message', async () => {
    const checks = parseChecks('"file.size" < "1kb" AND "request.folder": "/images/products"')
    expect(await judgeUploadFile(upload({ checks }), { size: 2048, mime: 'image/jpeg' }, storage())).toEqual({
      ok: false,
      status: 400,
      message: "Your request failed 'checks' validation.",
    })
    expect((await judgeUploadFile(upload({ checks }), jpeg, storage())).ok).toBe(true)
  })

  it('checks the size before the checks expression', async () => {
    const checks = parseChecks('"file.size" < "1kb"')
    const judgement = await judgeUploadFile(
      upload({ checks }),
      { size: 30_000_000, mime: 'image/jpeg' },
      storage(),
    )
    expect(judgement).toMatchObject({
      message: 'Your request contains invalid file parameter. The file size exceeds limits.',
    })
  })

  it('adds a unique suffix before the extension and builds the filePath from the folder segments', async () => {
    const judgement = await judgeUploadFile(upload(), jpeg, storage([], { uniqueSuffix: () => '_Ab3x-Y9_k' }))
    expect(judgement).toEqual({
      ok: true,
      name: 'photo_Ab3x-Y9_k.jpg',
      filePath: '/images/products/photo_Ab3x-Y9_k.jpg',
      replaces: false,
    })
  })

  it('draws a random suffix of the spec shape by default', async () => {
    const judgement = await judgeUploadFile(
      upload({ fileName: 'README', folderSegments: [] }),
      jpeg,
      storage(),
    )
    expect(judgement.ok && judgement.name).toMatch(/^README_[A-Za-z0-9_-]{9}$/)
    expect(judgement.ok && judgement.filePath).toMatch(/^\/README_[A-Za-z0-9_-]{9}$/)
  })

  it('draws again when a suffixed name is taken, and never replaces a stored file with a unique name', async () => {
    const suffixes = ['_AAAAAAAAA', '_BBBBBBBBB']
    const ctx = storage(['/images/products/photo_AAAAAAAAA.jpg'], {
      uniqueSuffix: () => suffixes.shift() ?? '_CCCCCCCCC',
    })
    expect(await judgeUploadFile(upload(), jpeg, ctx)).toMatchObject({
      name: 'photo_BBBBBBBBB.jpg',
      replaces: false,
    })
    const stuck = storage(['/images/products/photo_AAAAAAAAA.jpg'], { uniqueSuffix: () => '_AAAAAAAAA' })
    expect(await judgeUploadFile(upload(), jpeg, stuck)).toEqual({
      ok: false,
      status: 500,
      message: 'The file could not be uploaded because no unique file name could be found.',
    })
  })

  it('keeps the name with useUniqueFileName=false and replaces a stored file by default', async () => {
    const ctx = storage(['/images/products/photo.jpg'])
    expect(await judgeUploadFile(upload({ useUniqueFileName: false }), jpeg, ctx)).toEqual({
      ok: true,
      name: 'photo.jpg',
      filePath: '/images/products/photo.jpg',
      replaces: true,
    })
    expect(await judgeUploadFile(upload({ useUniqueFileName: false }), jpeg, storage())).toMatchObject({
      replaces: false,
    })
  })

  it('refuses to replace a stored file when overwriteFile and useUniqueFileName are both false', async () => {
    const ctx = storage(['/images/products/photo.jpg'])
    expect(
      await judgeUploadFile(upload({ useUniqueFileName: false, overwriteFile: false }), jpeg, ctx),
    ).toEqual({
      ok: false,
      status: 400,
      message:
        'A file with the same name already exists at the exact location. We could not overwrite it because both overwriteFile and useUniqueFileName are set to false.',
    })
    const free = await judgeUploadFile(
      upload({ useUniqueFileName: false, overwriteFile: false }),
      jpeg,
      storage(),
    )
    expect(free.ok).toBe(true)
  })

  it('awaits an async fileExists', async () => {
    const ctx: UploadFileContext = {
      fileExists: async (filePath) => filePath === '/images/products/photo.jpg',
    }
    const judgement = await judgeUploadFile(
      upload({ useUniqueFileName: false, overwriteFile: false }),
      jpeg,
      ctx,
    )
    expect(judgement.ok).toBe(false)
  })
})
