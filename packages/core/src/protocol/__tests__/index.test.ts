import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as protocol from '../index'

const protocolDir = join(import.meta.dirname, '..')
const sources = readdirSync(protocolDir).filter((name) => name.endsWith('.ts'))
const importsOf = (name: string) =>
  [...readFileSync(join(protocolDir, name), 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map(
    (match) => match[1],
  )

describe('@ik-upload/core/protocol', () => {
  it('re-exports no undefined value', () => {
    for (const [name, value] of Object.entries(protocol)) expect(value, name).toBeDefined()
  })

  it('exports the server-side parts', () => {
    for (const name of [
      'hmacSha1Hex',
      'signUploadToken',
      'signDeliveryPath',
      'safeEqual',
      'signUploadJwt',
      'decodeJwt',
      'verifyHs256',
      'parseChecks',
      'judgeUploadFields',
      'judgeV2UploadFields',
      'judgeUploadFile',
      'decodeFileField',
      'buildUploadResponse',
      'newFileId',
      'detectFileType',
      'uploadResponseSchema',
      'authParamsSchema',
      'checkUploadOptions',
      'encodeUploadFields',
      'sanitizeFileName',
      'errorBody',
    ])
      expect(protocol, name).toHaveProperty(name)
  })

  it('imports zod only in schemas.ts (and the index), so the browser client never pulls it', () => {
    for (const name of sources) {
      if (name === 'schemas.ts' || name === 'index.ts') continue
      expect(importsOf(name), name).not.toContain('zod')
      expect(importsOf(name), name).not.toContain('./schemas')
    }
  })

  it('imports no Node-only module, so it runs in browsers and workers', () => {
    for (const name of sources) {
      for (const specifier of importsOf(name)) expect(specifier, name).toMatch(/^(\.\/|zod$)/)
    }
  })
})
