import { describe, expect, it } from 'vitest'
import {
  ACCOUNT_NOT_AUTHENTICATED,
  BOTH_AUTH_METHODS,
  CHECKS_FAILED,
  errorBody,
  FILE_EXISTS,
  FILE_TOO_LARGE,
  FILE_URL_NOT_DOWNLOADED,
  HELP,
  INVALID_CHECKS_SYNTAX,
  INVALID_EXPIRE,
  INVALID_SIGNATURE,
  INVALID_TRANSFORMATION,
  invalidValue,
  missingParameter,
  tokenUsed,
  V2_BOTH_AUTH_METHODS,
  V2_PAYLOAD_MISMATCH,
  V2_TOKEN_EXPIRED,
  V2_TOKEN_INVALID,
} from '../messages'

// Every expected string below is copied from spec/upload-api.md, not from messages.ts.
describe('the error catalog (spec section 3)', () => {
  it('writes the help text with the space before the final period', () => {
    expect(HELP).toBe('For support kindly contact us at support@imagekit.io .')
  })

  it('serialises an error body as {"message", "help"}', () => {
    expect(JSON.stringify(errorBody('Your request is missing file parameter.'))).toBe(
      '{"message":"Your request is missing file parameter.","help":"For support kindly contact us at support@imagekit.io ."}',
    )
  })

  it.each([
    ['file', 'Your request is missing file parameter.'],
    ['fileName', 'Your request is missing fileName parameter.'],
    ['token', 'Your request is missing token parameter.'],
    ['signature', 'Your request is missing signature parameter.'],
    ['publicKey', 'Your request is missing publicKey parameter.'],
  ])('names the missing %s parameter', (name, message) => {
    expect(missingParameter(name)).toBe(message)
  })

  it.each([
    ['tags', 'Your request contains invalid value for tags parameter.'],
    ['folder', 'Your request contains invalid value for folder parameter.'],
    ['customCoordinates', 'Your request contains invalid value for customCoordinates parameter.'],
    ['responseFields', 'Your request contains invalid value for responseFields parameter.'],
    ['isPrivateFile', 'Your request contains invalid value for isPrivateFile parameter.'],
    ['customMetadata', 'Your request contains invalid value for customMetadata parameter.'],
  ])('names the invalid %s value', (name, message) => {
    expect(invalidValue(name)).toBe(message)
  })

  it('quotes the token in the used-token message', () => {
    expect(tokenUsed('6f1b3a1e-0d2c-4b7a-9d67-2f0e8c1d5a4b')).toBe(
      "The token with value '6f1b3a1e-0d2c-4b7a-9d67-2f0e8c1d5a4b' has been used before. We suggest using V4 UUIDs, or another random string with enough entropy to avoid collisions.",
    )
  })

  it.each([
    [
      'INVALID_EXPIRE',
      INVALID_EXPIRE,
      'Your request contains invalid expire parameter. Expire parameter should be a Unix time in less than 1 hour into the future.',
    ],
    ['INVALID_SIGNATURE', INVALID_SIGNATURE, 'Your request contains invalid signature parameter.'],
    ['ACCOUNT_NOT_AUTHENTICATED', ACCOUNT_NOT_AUTHENTICATED, 'Your account cannot be authenticated.'],
    [
      'BOTH_AUTH_METHODS',
      BOTH_AUTH_METHODS,
      'Your request contains both signature and basic auth parameter. Use only one method, you might be exposing your private API key.',
    ],
    [
      'V2_BOTH_AUTH_METHODS',
      V2_BOTH_AUTH_METHODS,
      'Your request contains both token and basic auth parameter. Use only one method, you might be exposing your private API key.',
    ],
    [
      'FILE_TOO_LARGE',
      FILE_TOO_LARGE,
      'Your request contains invalid file parameter. The file size exceeds limits.',
    ],
    [
      'FILE_URL_NOT_DOWNLOADED',
      FILE_URL_NOT_DOWNLOADED,
      'Your request contains invalid file parameter. The file URL could not be downloaded.',
    ],
    [
      'FILE_EXISTS',
      FILE_EXISTS,
      'A file with the same name already exists at the exact location. We could not overwrite it because both overwriteFile and useUniqueFileName are set to false.',
    ],
    [
      'INVALID_TRANSFORMATION',
      INVALID_TRANSFORMATION,
      'The file could not be uploaded because the transformation field is invalid.',
    ],
    [
      'INVALID_CHECKS_SYNTAX',
      INVALID_CHECKS_SYNTAX,
      'Your request contains invalid syntax for the checks parameter.',
    ],
    ['CHECKS_FAILED', CHECKS_FAILED, "Your request failed 'checks' validation."],
    [
      'V2_PAYLOAD_MISMATCH',
      V2_PAYLOAD_MISMATCH,
      'Your request contains invalid payload. It does not match with the payload used to generate token.',
    ],
    ['V2_TOKEN_EXPIRED', V2_TOKEN_EXPIRED, 'Your request contains expired token.'],
    ['V2_TOKEN_INVALID', V2_TOKEN_INVALID, 'Your request has invalid token.'],
  ])('keeps %s byte for byte', (_, actual, expected) => {
    expect(actual).toBe(expected)
  })
})
