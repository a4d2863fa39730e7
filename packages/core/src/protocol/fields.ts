/**
 * The v1 client-side upload fields of spec section 2 as typed JavaScript options, and their wire
 * encoding. The names are ImageKit's (and imagekitio-react's), so apps can move over unchanged.
 */

/** The names `responseFields` may hold (spec section 2). */
export const RESPONSE_FIELDS = [
  'tags',
  'customCoordinates',
  'isPrivateFile',
  'embeddedMetadata',
  'isPublished',
  'customMetadata',
  'metadata',
  'selectedFieldsSchema',
] as const

/** One name `responseFields` may hold. */
export type ResponseField = (typeof RESPONSE_FIELDS)[number]

/** The kinds of post-transformation the `transformation` field allows. */
export const POST_TRANSFORMATION_TYPES = ['transformation', 'gif-to-video', 'thumbnail', 'abs'] as const

/** One item of `transformation.post`. */
export interface PostTransformation {
  type: (typeof POST_TRANSFORMATION_TYPES)[number]
  value?: string
  protocol?: string
}

/** The `transformation` field: a pre-transformation and at most 5 post-transformations. */
export interface UploadTransformation {
  pre?: string
  post?: PostTransformation[]
}

/** One `extensions` item, such as `{ name: 'google-auto-tagging', maxTags: 5, minConfidence: 95 }`. */
export interface UploadExtension {
  name: string
  [option: string]: unknown
}

/**
 * The upload options of spec section 2 (everything but `file` and the auth fields). Options left
 * `undefined` are not sent at all, so the server's defaults apply.
 */
export interface UploadFieldOptions {
  /** Name to store the file under; the server replaces characters outside letters, marks, numbers, `.`, `_`, `-` with `_`. @default the file's own name */
  fileName?: string
  /** Add a unique suffix to the name; `false` keeps the name and replaces a file at the same path. @default true */
  useUniqueFileName?: boolean
  /** Tags, as an array or `tag1,tag2`; at most 500 characters in all, no `%`. @default none */
  tags?: readonly string[] | string
  /** Folder to upload into, created on demand; letters, marks, numbers, `/`, `_`, `-`. @default '/' */
  folder?: string
  /** Serve the file only through signed URLs. @default false */
  isPrivateFile?: boolean
  /** Area of interest `x,y,width,height`, four non-negative integers. Images only. @default none */
  customCoordinates?: string
  /** Extra fields to return in the response. @default none */
  responseFields?: readonly ResponseField[] | string
  /** Publish the file at once. @default true */
  isPublished?: boolean
  /** A description of the file. @default none */
  description?: string
  /** `false` with `useUniqueFileName: false` refuses to replace an existing file. @default true */
  overwriteFile?: boolean
  /** Replace the tags of an existing file; no effect when `tags` is sent. @default true */
  overwriteTags?: boolean
  /** Replace the AI tags of an existing file. @default true */
  overwriteAITags?: boolean
  /** Replace the custom metadata of an existing file; no effect when `customMetadata` is sent. @default true */
  overwriteCustomMetadata?: boolean
  /** Custom metadata, a JSON object of the account's custom metadata fields, e.g. `{ brand: 'Acme' }`. @default none */
  customMetadata?: Record<string, unknown>
  /** Extensions to run on upload, e.g. `[{ name: 'remove-bg' }]` or `[{ name: 'google-auto-tagging', maxTags: 5, minConfidence: 95 }]`. @default none */
  extensions?: readonly UploadExtension[]
  /** URL the server notifies when the extensions finish (they run after the response). @default none */
  webhookUrl?: string
  /** Pre- and post-upload transformations, e.g. `{ pre: 'w-100', post: [{ type: 'thumbnail', value: 'w-50' }] }`; at most 5 `post` items. @default none */
  transformation?: UploadTransformation
  /** A checks expression the file must pass, e.g. `"file.size" < "1mb"`. @default none */
  checks?: string
}

/** The option names in the order they go on the wire. */
export const UPLOAD_FIELD_NAMES = [
  'fileName',
  'useUniqueFileName',
  'tags',
  'folder',
  'isPrivateFile',
  'customCoordinates',
  'responseFields',
  'isPublished',
  'description',
  'overwriteFile',
  'overwriteTags',
  'overwriteAITags',
  'overwriteCustomMetadata',
  'customMetadata',
  'extensions',
  'webhookUrl',
  'transformation',
  'checks',
] as const satisfies readonly (keyof UploadFieldOptions)[]

/**
 * Encodes one option as the wire string of spec section 2: `customMetadata`, `extensions` and
 * `transformation` as `JSON.stringify` output, the lists (`tags`, `responseFields`) joined with `,`,
 * booleans as `"true"`/`"false"`, `undefined`/`null` as nothing (the field is not sent).
 */
export function encodeFieldValue(name: string, value: unknown): string | undefined {
  if (value == null) return undefined
  // `extensions` is the one array that goes as JSON; every other object is a JSON field.
  if (Array.isArray(value) && name !== 'extensions') return value.join(',')
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** The options as `[name, value]` wire pairs, in wire order, leaving out undefined options. */
export function encodeUploadFields(options: UploadFieldOptions): [string, string][] {
  const pairs: [string, string][] = []
  for (const name of UPLOAD_FIELD_NAMES) {
    const encoded = encodeFieldValue(name, options[name])
    if (encoded !== undefined) pairs.push([name, encoded])
  }
  return pairs
}
