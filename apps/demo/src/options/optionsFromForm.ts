import type { ResponseField, UploadFieldOptions } from '@ik-upload/core'

/** A boolean option: left out of the request (the server's default applies), or sent as true/false. */
export type TriState = 'default' | 'true' | 'false'

/** The boolean options of spec section 2, with the server's default for each. */
export const BOOLEAN_OPTIONS = {
  useUniqueFileName: true,
  isPrivateFile: false,
  isPublished: true,
  overwriteFile: true,
  overwriteTags: true,
  overwriteAITags: true,
  overwriteCustomMetadata: true,
} as const satisfies Partial<Record<keyof UploadFieldOptions, boolean>>

export type BooleanOption = keyof typeof BOOLEAN_OPTIONS

/** The JSON options, typed as text in the form. */
export const JSON_OPTIONS = ['customMetadata', 'extensions', 'transformation'] as const
export type JsonOption = (typeof JSON_OPTIONS)[number]

/** The options panel as the user typed it: every upload option of the spec. */
export interface OptionsForm extends Record<BooleanOption, TriState>, Record<JsonOption, string> {
  fileName: string
  tags: string
  folder: string
  customCoordinates: string
  responseFields: ResponseField[]
  description: string
  webhookUrl: string
  checks: string
}

export const EMPTY_OPTIONS_FORM: OptionsForm = {
  fileName: '',
  useUniqueFileName: 'default',
  tags: '',
  folder: '',
  isPrivateFile: 'default',
  customCoordinates: '',
  responseFields: [],
  isPublished: 'default',
  description: '',
  overwriteFile: 'default',
  overwriteTags: 'default',
  overwriteAITags: 'default',
  overwriteCustomMetadata: 'default',
  customMetadata: '',
  extensions: '',
  webhookUrl: '',
  transformation: '',
  checks: '',
}

/** The form turned into upload options, and the JSON fields that do not parse (those are left out). */
export interface FormOptions {
  options: UploadFieldOptions
  jsonErrors: Partial<Record<JsonOption, string>>
}

const text = (value: string) => value.trim() || undefined

/**
 * Turns the panel into the options `<IKUpload>` takes. Empty inputs and "default" switches become
 * `undefined`, which the wire encoding leaves out, so the request shows exactly what was chosen.
 */
export function optionsFromForm(form: OptionsForm): FormOptions {
  const jsonErrors: FormOptions['jsonErrors'] = {}
  const json = (field: JsonOption) => {
    const source = form[field].trim()
    if (!source) return undefined
    try {
      return JSON.parse(source)
    } catch (error) {
      jsonErrors[field] = (error as Error).message
      return undefined
    }
  }
  const flag = (field: BooleanOption) => (form[field] === 'default' ? undefined : form[field] === 'true')
  const tags = form.tags
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean)
  const options: UploadFieldOptions = {
    fileName: text(form.fileName),
    useUniqueFileName: flag('useUniqueFileName'),
    tags: tags.length ? tags : undefined,
    folder: text(form.folder),
    isPrivateFile: flag('isPrivateFile'),
    customCoordinates: text(form.customCoordinates),
    responseFields: form.responseFields.length ? form.responseFields : undefined,
    isPublished: flag('isPublished'),
    description: text(form.description),
    overwriteFile: flag('overwriteFile'),
    overwriteTags: flag('overwriteTags'),
    overwriteAITags: flag('overwriteAITags'),
    overwriteCustomMetadata: flag('overwriteCustomMetadata'),
    customMetadata: json('customMetadata'),
    extensions: json('extensions'),
    webhookUrl: text(form.webhookUrl),
    transformation: json('transformation'),
    checks: text(form.checks),
  }
  return { options, jsonErrors }
}
