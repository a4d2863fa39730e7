import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { exec, tail } from './exec'
import { expect, runCheck } from './runCheck'

/** The spec's signature test vector: key `private_key_test`, token `your_token`, expire 1582269249. */
const VECTOR_SIGNATURE = 'e71bcd6031016b060d349d212e23e85c791decdd'

/**
 * `require('@ik-upload/core')`, `require('@ik-upload/server')` (and `/node`) from a CommonJS file in
 * plain Node: every export named is a function, and the signature helper computes the spec's vector.
 */
export async function checkRequire(app: string): Promise<void> {
  await runCheck('require() from a CommonJS file: @ik-upload/core, @ik-upload/server(/node)', async () => {
    const dir = join(app, 'consumer')
    mkdirSync(dir, { recursive: true })
    copyFileSync(join(import.meta.dirname, 'app/require.cjs'), join(dir, 'require.cjs'))
    const ran = await exec(process.execPath, ['consumer/require.cjs'], { cwd: app, timeoutMs: 60_000 })
    expect(ran.code === 0, `node require.cjs exited ${ran.code}\n${tail(ran.output, 12)}`)
    const { report, signature, error } = JSON.parse(ran.stdout) as {
      report: Record<string, Record<string, string>>
      signature?: string
      error?: string
    }
    const wrong = Object.entries(report).flatMap(([module, exports]) =>
      Object.entries(exports)
        .filter(([, type]) => type !== 'function')
        .map(([name, type]) => `${module}.${name} is ${type}`),
    )
    expect(wrong.length === 0, wrong.join('\n'))
    expect(signature === VECTOR_SIGNATURE, `getAuthenticationParameters gave ${signature ?? error}`)
    return `${Object.values(report).flatMap(Object.keys).length} exports are functions${ran.stderr ? `; stderr: ${ran.stderr.trim()}` : ''}`
  })
}
