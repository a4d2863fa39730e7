/**
 * zod schemas of the upload API: every v1 request field as the string it arrives as (spec section
 * 2), the success response (section 4), the error body (section 3) and the auth endpoint's reply
 * (section 6). Each refusal carries the catalog's message. Kept in its own module so the browser
 * client, which imports single protocol modules, never pulls zod in.
 */
import { z } from 'zod'
import { parseChecks } from './checks'
import { RESPONSE_FIELDS, type UPLOAD_FIELD_NAMES } from './fields'
import {
  FILE_NAME_TOO_LONG,
  INVALID_CHECKS_SYNTAX,
  INVALID_EXPIRE,
  INVALID_SIGNATURE,
  INVALID_TRANSFORMATION,
  invalidValue,
  missingParameter,
} from './messages'
import {
  isValidCustomMetadata,
  isValidExtensions,
  isValidTransformation,
  isValidWebhookUrl,
  MAX_FILE_NAME_LENGTH,
  parseCustomCoordinates,
  parseFolder,
  parseJson,
  parseResponseFields,
  parseTags,
} from './rules'

/** A required text field; absent or empty answers `missingParameter(name)`. */
const requiredText = (name: string) =>
  z.string({ error: missingParameter(name) }).min(1, { error: missingParameter(name) })

/** A text field that must pass `rule`, refused with `message`. */
const ruled = (rule: (value: string) => boolean, message: string) =>
  z.string({ error: message }).refine(rule, { error: message })

/** A boolean field: exactly `"true"` or `"false"`. */
const booleanField = (name: string) => z.enum(['true', 'false'], { error: invalidValue(name) })

/** `file`: a binary part, or a text part holding base64, a `data:` URI or an `http(s)` URL. */
export const fileFieldSchema = z.union([z.string().min(1), z.instanceof(Blob)], {
  error: missingParameter('file'),
})
/** `publicKey`: required for v1 client-side uploads. */
export const publicKeyFieldSchema = requiredText('publicKey')
/** `signature`: 40 lowercase hex chars, HMAC-SHA1 of `token + expire`. */
export const signatureFieldSchema = requiredText('signature').regex(/^[0-9a-f]{40}$/, {
  error: INVALID_SIGNATURE,
})
/** `expire`: canonical decimal Unix seconds (the window against the server's clock is the judge's to check). */
export const expireFieldSchema = requiredText('expire').regex(/^[1-9]\d*$/, { error: INVALID_EXPIRE })
/** `token`: any non-empty string; a v4 UUID is suggested. */
export const tokenFieldSchema = requiredText('token')
/** `fileName`: required, non-empty and at most 1024 characters; the server sanitises it. */
export const fileNameFieldSchema = requiredText('fileName').max(MAX_FILE_NAME_LENGTH, {
  error: FILE_NAME_TOO_LONG,
})
/** `tags`: `tag1,tag2`, at most 500 characters, no `%`. */
export const tagsFieldSchema = ruled((value) => parseTags(value) !== null, invalidValue('tags'))
/** `folder`: letters, marks, numbers, `/`, `_`, `-`; at most 50 levels. */
export const folderFieldSchema = ruled((value) => parseFolder(value) !== null, invalidValue('folder'))
/** `customCoordinates`: `x,y,width,height`, four non-negative integers. */
export const customCoordinatesFieldSchema = ruled(
  (value) => parseCustomCoordinates(value) !== null,
  invalidValue('customCoordinates'),
)
/** `responseFields`: a comma list of allowed names; items are trimmed. */
export const responseFieldsFieldSchema = ruled(
  (value) => parseResponseFields(value) !== null,
  invalidValue('responseFields'),
)
/** `description`: any string. */
export const descriptionFieldSchema = z.string({ error: invalidValue('description') })
/** `customMetadata`: a JSON object. */
export const customMetadataFieldSchema = ruled(
  (value) => isValidCustomMetadata(parseJson(value)),
  invalidValue('customMetadata'),
)
/** `extensions`: a JSON array of objects with a string `name`. */
export const extensionsFieldSchema = ruled(
  (value) => isValidExtensions(parseJson(value)),
  invalidValue('extensions'),
)
/** `webhookUrl`: an absolute `http(s)` URL. */
export const webhookUrlFieldSchema = ruled(isValidWebhookUrl, invalidValue('webhookUrl'))
/** `transformation`: JSON `{pre?, post?: [{type, value?, protocol?}]}`, at most 5 post items. */
export const transformationFieldSchema = ruled(
  (value) => isValidTransformation(parseJson(value)),
  INVALID_TRANSFORMATION,
)
/** `checks`: an expression `parseChecks` accepts. */
export const checksFieldSchema = ruled((value) => parseChecks(value) !== null, INVALID_CHECKS_SYNTAX)

/** The schema of each option field, by name, for the fields as they arrive (all optional). */
export const uploadOptionFieldSchemas = {
  fileName: fileNameFieldSchema,
  useUniqueFileName: booleanField('useUniqueFileName'),
  tags: tagsFieldSchema,
  folder: folderFieldSchema,
  isPrivateFile: booleanField('isPrivateFile'),
  customCoordinates: customCoordinatesFieldSchema,
  responseFields: responseFieldsFieldSchema,
  isPublished: booleanField('isPublished'),
  description: descriptionFieldSchema,
  overwriteFile: booleanField('overwriteFile'),
  overwriteTags: booleanField('overwriteTags'),
  overwriteAITags: booleanField('overwriteAITags'),
  overwriteCustomMetadata: booleanField('overwriteCustomMetadata'),
  customMetadata: customMetadataFieldSchema,
  extensions: extensionsFieldSchema,
  webhookUrl: webhookUrlFieldSchema,
  transformation: transformationFieldSchema,
  checks: checksFieldSchema,
} as const satisfies Record<(typeof UPLOAD_FIELD_NAMES)[number], z.ZodType<string>>

/**
 * A whole v1 client-side upload request as its form fields arrive. It checks shapes only: the
 * `expire` window, the signature's value and token reuse need the server's clock and keys, which
 * is `judgeUploadFields`'s job.
 */
export const uploadRequestFieldsSchema = z.object(uploadOptionFieldSchemas).partial().extend({
  file: fileFieldSchema,
  publicKey: publicKeyFieldSchema,
  signature: signatureFieldSchema,
  expire: expireFieldSchema,
  token: tokenFieldSchema,
  fileName: fileNameFieldSchema,
})

/** The upload request fields as `uploadRequestFieldsSchema` reads them. */
export type UploadRequestWireFields = z.infer<typeof uploadRequestFieldsSchema>

const aiTagSchema = z.object({ name: z.string(), confidence: z.number(), source: z.string() })
const dimension = z.number().int().nonnegative()

/**
 * The success response (spec section 4). Loose, so fields ImageKit adds later (or that the local
 * server does not know) pass through instead of being dropped or refused.
 */
export const uploadResponseSchema = z.looseObject({
  fileId: z.string().regex(/^[0-9a-f]{24}$/),
  name: z.string().min(1),
  size: z.number().int().nonnegative(),
  versionInfo: z.looseObject({ id: z.string().min(1), name: z.string().regex(/^Version \d+$/) }),
  filePath: z.string().startsWith('/'),
  url: z.string().min(1),
  thumbnailUrl: z.string().optional(),
  fileType: z.enum(['image', 'non-image']),
  height: dimension.optional(),
  width: dimension.optional(),
  AITags: z.array(aiTagSchema).nullable(),
  tags: z.array(z.string()).nullable().optional(),
  customCoordinates: z.string().nullable().optional(),
  isPrivateFile: z.boolean().optional(),
  isPublished: z.boolean().optional(),
  customMetadata: z.record(z.string(), z.unknown()).optional(),
  embeddedMetadata: z.record(z.string(), z.unknown()).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  selectedFieldsSchema: z.record(z.string(), z.unknown()).optional(),
  extensionStatus: z.record(z.string(), z.enum(['success', 'pending', 'skipped', 'failed'])).optional(),
})

/** An error body (spec section 3): `{ message, help }`. */
export const errorBodySchema = z.object({ message: z.string(), help: z.string() })

/** The auth endpoint's reply (spec section 6): `{ token, expire, signature }`. */
export const authParamsSchema = z.object({
  token: z.string().min(1),
  expire: z.number().int().positive(),
  signature: z.string().min(1),
})

/** The auth parameters as `authParamsSchema` reads them. */
export type AuthParamsReply = z.infer<typeof authParamsSchema>

/** The names `responseFields` may hold, as a zod enum (handy for forms and docs). */
export const responseFieldSchema = z.enum(RESPONSE_FIELDS)
