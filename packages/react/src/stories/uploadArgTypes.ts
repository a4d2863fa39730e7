/**
 * Controls for every option of the uploader (`IKUpload`, `IKDropzone` and `useUpload` take them
 * all). The `satisfies` below fails to compile when core gains an option without a control here.
 * Only controls and categories: each option's description and default come from its JSDoc in core
 * (react-docgen-typescript reads them), so nothing here may set `description` over it.
 */
import type { UPLOAD_FIELD_NAMES, UPLOADER_OPTION_NAMES, UploadFieldOptions } from '@ik-upload/core'
import { checkUploadOptions, RESPONSE_FIELDS } from '@ik-upload/core/protocol'
import { type AuthParams, fetchTransport, imageDimensions, xhrTransport } from '@ik-upload/react'
import type { ArgTypes } from '@storybook/react-vite'
import { fn } from 'storybook/test'
import { AUTH_ENDPOINT } from './mockApi'

type OptionName = (typeof UPLOAD_FIELD_NAMES)[number] | (typeof UPLOADER_OPTION_NAMES)[number]
type Control = NonNullable<ArgTypes[string]>

const field = (control: Control['control'], extra: Control = {}): Control => ({
  control,
  table: { category: 'Upload fields (sent to the server)' },
  ...extra,
})
const option = (category: string, control: Control['control'], extra: Control = {}): Control => ({
  control,
  table: { category },
  ...extra,
})
/** Functions cannot be typed into a control: pick one of a few named ones instead. */
const choice = (category: string, mapping: Record<string, unknown>): Control => ({
  control: 'select',
  options: Object.keys(mapping),
  mapping,
  table: { category },
})
const callback: Control = { control: false, table: { category: 'Callbacks (see the Actions panel)' } }

const CONFIG = 'Where to upload'
const LIMITS = 'Restrictions (checked before sending)'
const QUEUE = 'Queue and retries'

export const uploadArgTypes = {
  fileName: field('text'),
  useUniqueFileName: field('boolean'),
  tags: field('object'),
  folder: field('text'),
  isPrivateFile: field('boolean'),
  customCoordinates: field('text'),
  responseFields: field('check', { options: RESPONSE_FIELDS }),
  isPublished: field('boolean'),
  description: field('text'),
  overwriteFile: field('boolean'),
  overwriteTags: field('boolean'),
  overwriteAITags: field('boolean'),
  overwriteCustomMetadata: field('boolean'),
  customMetadata: field('object'),
  extensions: field('object'),
  webhookUrl: field('text'),
  transformation: field('object'),
  checks: field('text'),

  publicKey: option(CONFIG, 'text'),
  // Where IKImage/IKVideo find paths: an IKContext prop (its page documents it), no upload option.
  urlEndpoint: { control: false, table: { disable: true } },
  uploadEndpoint: option(CONFIG, 'text'),
  authenticationEndpoint: option(CONFIG, 'text'),
  authenticator: choice(CONFIG, {
    'none (use authenticationEndpoint)': undefined,
    'a function that fetches the endpoint': async ({
      signal,
    }: {
      signal: AbortSignal
    }): Promise<AuthParams> => (await fetch(AUTH_ENDPOINT, { signal, cache: 'no-store' })).json(),
  }),
  authenticationRequest: option(CONFIG, 'object'),
  authTimeout: option(CONFIG, 'number'),
  transport: choice(CONFIG, {
    'default (XHR in browsers)': undefined,
    XHR: xhrTransport,
    fetch: fetchTransport,
  }),
  // signV2 needs a v2 auth endpoint (POST {fields} -> {token, fields}); the stories' mock serves v1.
  signer: choice(CONFIG, { 'signV1 (default)': undefined }),

  maxFileSize: option(LIMITS, 'number'),
  accept: option(LIMITS, 'text'),
  maxFiles: option(LIMITS, 'number'),
  validateFile: choice(LIMITS, {
    none: undefined,
    'refuse files over 1 KB': (file: File) => file.size <= 1024 || `${file.name} is over 1 KB.`,
    'refuse names with spaces': (file: File) =>
      !file.name.includes(' ') || 'No spaces in file names, please.',
  }),
  checkImage: choice(LIMITS, {
    none: undefined,
    'imageDimensions({ minWidth: 200, minHeight: 200 })': imageDimensions({ minWidth: 200, minHeight: 200 }),
    'imageDimensions({ maxWidth: 1000, maxHeight: 1000 })': imageDimensions({
      maxWidth: 1000,
      maxHeight: 1000,
    }),
  }),
  checkOptions: choice(LIMITS, {
    none: undefined,
    'checkUploadOptions (refuse bad tags, folder... before auth)': checkUploadOptions,
  }),
  overrideParameters: choice(LIMITS, {
    none: undefined,
    'tag each file with its type': (file: File): UploadFieldOptions => ({
      tags: [file.type.split('/')[0] || 'file'],
    }),
    'images into /images, the rest into /files': (file: File): UploadFieldOptions => ({
      folder: file.type.startsWith('image/') ? '/images' : '/files',
    }),
  }),

  concurrency: option(QUEUE, 'number'),
  prefetch: option(QUEUE, 'number'),
  retries: option(QUEUE, 'number'),
  retryDelay: option(QUEUE, 'number'),
  maxRetryDelay: option(QUEUE, 'number'),
  timeout: option(QUEUE, 'number'),
  stallTimeout: option(QUEUE, 'number'),

  onUploadStart: callback,
  onUploadProgress: callback,
  onSuccess: callback,
  onError: callback,
} satisfies Record<OptionName, Control>

/** Spies for the callbacks: they show in the Actions panel and play functions assert on them. */
export const callbackArgs = () => ({
  onUploadStart: fn(),
  onUploadProgress: fn(),
  onSuccess: fn(),
  onError: fn(),
})
