import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const here = import.meta.dirname

/** Runs the fixture in a child Node with `--expose-gc` against an upload module, and reads its JSON. */
async function endingsAfterGc(uploadModule: string): Promise<Record<string, string>> {
  const { stdout } = await run(
    process.execPath,
    [
      '--expose-gc',
      '--conditions=@ik-upload/source',
      '--import',
      'tsx',
      join(here, 'fixtures', 'timeoutsAfterGc.ts'),
      uploadModule,
    ],
    { cwd: join(here, '..', '..', '..', '..', '..') },
  )
  return JSON.parse(stdout)
}

describe('client timeouts under garbage collection (issue 9, defect 5)', () => {
  it('authTimeout, timeout and stallTimeout still fire when a GC runs while the upload waits', async () => {
    expect(await endingsAfterGc(join(here, '..', 'upload.ts'))).toEqual({
      auth: expect.stringMatching(/^timeout: The authentication endpoint timed out\.$/),
      upload: 'timeout: The upload timed out.',
      stall: 'timeout: The upload timed out.',
    })
  }, 60_000)
})
