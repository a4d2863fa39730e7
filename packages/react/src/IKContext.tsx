'use client'
import type { TransformationPosition, UploaderOptions } from '@ik-upload/core'
import { mergeOptions } from '@ik-upload/core'
import { createContext, type ReactNode, useContext } from 'react'

/**
 * Signs a delivery URL for a private file: your backend's job (it holds the private key), e.g. a
 * `fetch` to an endpoint that checks the user and answers `signDeliveryUrl(...)` of
 * `@ik-upload/server`. Gets the URL `IKImage`/`IKVideo` built; gives the URL to show.
 */
export type SignUrl = (url: string) => string | Promise<string>

/** What `IKContext` provides: the account, the auth source, the upload URL and default upload options. */
export interface IKConfig extends Partial<UploaderOptions> {
  /** Your ImageKit URL endpoint, e.g. `https://ik.imagekit.io/your_id`: where `IKImage` and `IKVideo` find paths. @default none */
  urlEndpoint?: string
  /** Where `IKImage` and `IKVideo` put transformations: `?tr=` (`query`) or `/tr:.../` (`path`). @default 'query' */
  transformationPosition?: TransformationPosition
  /** Signs the delivery URLs of `IKImage` and `IKVideo` (for private files). @default none: URLs are shown unsigned */
  signedUrl?: SignUrl
}

/** Props of `IKContext`: every uploader option, as defaults for the components and hooks inside. */
export interface IKContextProps extends IKConfig {
  /** The components and hooks that get this config, with any `IKContext` nested in them. @default none */
  children?: ReactNode
}

const ConfigContext = /* @__PURE__ */ createContext<IKConfig | undefined>(undefined)

/**
 * Provides the upload config to every `IKUpload`, `IKDropzone` and `useUpload` inside. Nested
 * contexts inherit from outer ones; a prop left `undefined` keeps the outer value.
 */
export function IKContext({ children, ...config }: IKContextProps): ReactNode {
  const outer = useContext(ConfigContext)
  return <ConfigContext.Provider value={mergeOptions(outer ?? {}, config)}>{children}</ConfigContext.Provider>
}

/**
 * The config of the nearest `IKContext`, or `{}` outside any: for `IKImage` and `IKVideo`, which
 * need only a `urlEndpoint` (a prop will do) and no upload credentials.
 */
export const useDisplayConfig = (): IKConfig => useContext(ConfigContext) ?? {}

/** The config of the nearest `IKContext`; throws an error that says what to wrap when there is none. */
export function useIKConfig(): IKConfig {
  const config = useContext(ConfigContext)
  if (!config)
    throw new Error(
      'Wrap IKUpload, IKDropzone and useUpload in <IKContext publicKey authenticationEndpoint>.',
    )
  return config
}
