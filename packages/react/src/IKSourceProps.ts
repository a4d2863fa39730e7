import type { SrcOptions, Transformation, TransformationPosition } from '@ik-upload/core'
import type { SignUrl } from './IKContext'

/** Where a delivered file is and how to transform it: the props `IKImage` and `IKVideo` share. */
export interface IKSourceProps {
  /** A path (`/photos/cat.jpg`, e.g. an upload result's `filePath`) or an absolute URL. @default none */
  src?: string
  /** imagekitio-react's name for a path; `src` wins when both are given. @default none */
  path?: string
  /** Where paths are served from. @default the nearest IKContext's urlEndpoint */
  urlEndpoint?: string
  /** Transformation steps, chained in order, e.g. `[{ height: 300, crop: 'at_max' }]`. @default none */
  transformation?: Transformation[]
  /** `query` (`?tr=`) or `path` (`/tr:.../`). @default the nearest IKContext's, else 'query' */
  transformationPosition?: TransformationPosition
  /** Extra query parameters on every URL, e.g. `{ v: 2 }`. @default none */
  queryParameters?: SrcOptions['queryParameters']
  /** Signs every URL (for private files); nothing is shown until it answered. @default the nearest IKContext's, else none */
  signedUrl?: SignUrl
}
