'use client'
import type { UploaderOptions } from '@ik-upload/core'
import { mergeOptions } from '@ik-upload/core'
import { createContext, type ReactNode, useContext } from 'react'

/** What `IKContext` provides: the account, the auth source, the upload URL and default upload options. */
export interface IKConfig extends Partial<UploaderOptions> {
  /** Your ImageKit URL endpoint, e.g. `https://ik.imagekit.io/your_id`; kept for components that build delivery URLs. @default none */
  urlEndpoint?: string
}

/** Props of `IKContext`: every uploader option, as defaults for the components and hooks inside. */
export interface IKContextProps extends IKConfig {
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

/** The config of the nearest `IKContext`; throws an error that says what to wrap when there is none. */
export function useIKConfig(): IKConfig {
  const config = useContext(ConfigContext)
  if (!config)
    throw new Error(
      'Wrap IKUpload, IKDropzone and useUpload in <IKContext publicKey authenticationEndpoint>.',
    )
  return config
}
