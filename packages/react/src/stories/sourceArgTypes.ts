/** The story controls of the props `IKImage` and `IKVideo` share (`IKSourceProps`), in one place. */

/** A stand-in for your backend's signer: appends a fake `ik-s` after 300 ms (the mock does not check it). */
export const fakeSigner = (url: string): Promise<string> =>
  new Promise<string>((resolve) =>
    setTimeout(() => resolve(`${url}${url.includes('?') ? '&' : '?'}ik-s=storybook`), 300),
  )

const URL_OPTIONS = 'URL'

/** Controls for `src`, `path`, `urlEndpoint`, `transformation`, its position, query parameters and `signedUrl`. */
export const sourceArgTypes = {
  src: { control: 'text', table: { category: URL_OPTIONS } },
  path: { control: 'text', table: { category: URL_OPTIONS } },
  urlEndpoint: { control: 'text', table: { category: URL_OPTIONS } },
  transformation: { control: 'object', table: { category: URL_OPTIONS } },
  transformationPosition: {
    control: 'inline-radio',
    options: ['query', 'path'],
    table: { category: URL_OPTIONS },
  },
  queryParameters: { control: 'object', table: { category: URL_OPTIONS } },
  signedUrl: {
    control: 'select',
    options: ['none', 'fake signer'],
    mapping: { none: undefined, 'fake signer': fakeSigner },
    table: { category: URL_OPTIONS },
  },
} as const
