/**
 * The error catalog of the upload API (spec section 3), byte for byte. Real apps match on these
 * strings, so they are written once, here, and used by the client, the msw handlers and the local
 * server alike. Each is a separate export so a browser bundle keeps only the ones it uses.
 */

/** The `help` text of every error body (exact, with the space before the final period). */
export const HELP = 'For support kindly contact us at support@imagekit.io .'

/** The JSON body of an error response. */
export interface ErrorBody {
  message: string
  help: string
}

/** Builds the spec's error body for a message. */
export const errorBody = (message: string): ErrorBody => ({ message, help: HELP })

/** `Your request is missing <name> parameter.` (exact for `file`, ours for the rest) */
export const missingParameter = (name: string): string => `Your request is missing ${name} parameter.`

/** `Your request contains invalid value for <field> parameter.` (exact for `folder`) */
export const invalidValue = (field: string): string =>
  `Your request contains invalid value for ${field} parameter.`

/** `expire` in the past, not a number, or 1 hour or more ahead (exact). */
export const INVALID_EXPIRE =
  'Your request contains invalid expire parameter. Expire parameter should be a Unix time in less than 1 hour into the future.'

/** A token seen before (exact). */
export const tokenUsed = (token: string): string =>
  `The token with value '${token}' has been used before. We suggest using V4 UUIDs, or another random string with enough entropy to avoid collisions.`

/** The signature does not match (ours). */
export const INVALID_SIGNATURE = 'Your request contains invalid signature parameter.'

/** Unknown `publicKey`; status 403 (exact). */
export const ACCOUNT_NOT_AUTHENTICATED = 'Your account cannot be authenticated.'

/** Both Basic auth and a signature (exact). */
export const BOTH_AUTH_METHODS =
  'Your request contains both signature and basic auth parameter. Use only one method, you might be exposing your private API key.'

/** v2: a `token` together with Basic auth (exact). The v1 endpoint keeps `BOTH_AUTH_METHODS`. */
export const V2_BOTH_AUTH_METHODS =
  'Your request contains both token and basic auth parameter. Use only one method, you might be exposing your private API key.'

/** The file is over the size limit (exact). */
export const FILE_TOO_LARGE = 'Your request contains invalid file parameter. The file size exceeds limits.'

/** A file of 0 bytes (ours: an empty part is a failed read or an empty input, never a file to keep). */
export const FILE_EMPTY = 'Your request contains invalid file parameter. The file is empty.'

/** A `fileName` longer than `MAX_FILE_NAME_LENGTH` (1024) characters (ours). */
export const FILE_NAME_TOO_LONG =
  'Your request contains invalid fileName parameter. The file name is longer than 1024 characters.'

/** A `file` URL that could not be downloaded in time (ours). */
export const FILE_URL_NOT_DOWNLOADED =
  'Your request contains invalid file parameter. The file URL could not be downloaded.'

/** The name is taken and both `overwriteFile` and `useUniqueFileName` are false (exact). */
export const FILE_EXISTS =
  'A file with the same name already exists at the exact location. We could not overwrite it because both overwriteFile and useUniqueFileName are set to false.'

/** Every unique suffix drawn collided with a stored file; status 500 (ours, not in the spec's table). */
export const NO_UNIQUE_NAME = 'The file could not be uploaded because no unique file name could be found.'

/** A bad `transformation` field (exact). */
export const INVALID_TRANSFORMATION =
  'The file could not be uploaded because the transformation field is invalid.'

/** Bad `checks` syntax (exact). */
export const INVALID_CHECKS_SYNTAX = 'Your request contains invalid syntax for the checks parameter.'

/** The file failed the `checks` expression (exact). */
export const CHECKS_FAILED = "Your request failed 'checks' validation."

/** v2: the fields differ from the JWT payload (exact). */
export const V2_PAYLOAD_MISMATCH =
  'Your request contains invalid payload. It does not match with the payload used to generate token.'

/** v2: the JWT has expired (exact). */
export const V2_TOKEN_EXPIRED = 'Your request contains expired token.'

/** v2: the JWT is malformed or its signature is wrong (exact). */
export const V2_TOKEN_INVALID = 'Your request has invalid token.'

/**
 * A body sent as `multipart/form-data` that does not parse as one: no boundary, another boundary
 * than the declared one, cut before its closing boundary, empty (ours; the spec has no row for it).
 * A body of another type is judged as a form without fields (`missing publicKey`).
 */
export const MALFORMED_BODY = 'Your request contains a malformed multipart/form-data body.'

/** Delivery: no file at this path, or an unpublished one without a valid signature; status 404 (ours). */
export const DELIVERY_NOT_FOUND = 'No file at this URL.'

/** Delivery: a private file without a valid, unexpired signature; status 401 (ours). */
export const DELIVERY_NOT_SIGNED = 'This private file needs a valid signed URL.'
