import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The local account: the key pair uploads are signed with. */
export interface DevKeys {
  publicKey: string
  privateKey: string
  /** True when this start created the keys (the CLI then says so). */
  created: boolean
}

/** The file in the data folder that keeps the generated keys across restarts. */
export const KEYS_FILE = 'keys.json'

/**
 * The server's keys: the ones given, else the ones stored in `<dataDir>/keys.json`, else new random
 * ones, stored there. Generated keys are named `public_dev_...` / `private_dev_...` so nobody mistakes
 * them for real ImageKit keys, and are useless anywhere but this data folder.
 */
export function loadDevKeys(
  dataDir: string,
  given: { publicKey?: string; privateKey?: string } = {},
): DevKeys {
  if (given.publicKey && given.privateKey)
    return { publicKey: given.publicKey, privateKey: given.privateKey, created: false }
  if (given.publicKey || given.privateKey)
    throw new TypeError('Give both publicKey and privateKey, or neither (dev keys are then generated).')
  const path = join(dataDir, KEYS_FILE)
  if (existsSync(path)) {
    let stored: Partial<DevKeys>
    try {
      stored = JSON.parse(readFileSync(path, 'utf8'))
    } catch (error) {
      throw new Error(`${path} is not valid JSON; fix it or delete it to generate new dev keys.`, {
        cause: error,
      })
    }
    if (typeof stored.publicKey === 'string' && typeof stored.privateKey === 'string' && stored.privateKey)
      return { publicKey: stored.publicKey, privateKey: stored.privateKey, created: false }
    throw new Error(`${path} has no publicKey/privateKey; fix it or delete it to generate new dev keys.`)
  }
  const random = () => randomBytes(18).toString('base64url')
  const keys = { publicKey: `public_dev_${random()}`, privateKey: `private_dev_${random()}` }
  const note =
    'Throwaway keys of the local ik-upload server. Not ImageKit keys; safe to delete (new ones are made).'
  // 0600: the private key signs uploads for this server; other local users need not read it.
  writeFileSync(path, `${JSON.stringify({ ...keys, note }, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
  return { ...keys, created: true }
}
