'use client'
// Core is re-exported, so an app installs @ik-upload/react alone.
export type {
  AuthConfig,
  Authenticator,
  AuthenticatorContext,
  AuthParams,
  FileRejection,
  FileVerdict,
  GetImageAttributesOptions,
  ImageDimensionLimits,
  PostTransformation,
  RejectionCode,
  ResponseField,
  ResponsiveImageAttributes,
  SignedUpload,
  Signer,
  SrcOptions,
  Transformation,
  TransformationPosition,
  Transport,
  TransportRequest,
  TransportResponse,
  UploadCallOptions,
  UploadConfig,
  UploadErrorCode,
  UploadErrorDetails,
  UploadExtension,
  Uploader,
  UploaderOptions,
  UploaderState,
  UploadFieldOptions,
  UploadItem,
  UploadOptions,
  UploadProgress,
  UploadResponse,
  UploadSource,
  UploadStatus,
  UploadTransformation,
  V2AuthReply,
} from '@ik-upload/core'
export {
  buildSrc,
  buildTransformationString,
  createUploader,
  DEFAULT_MAX_FILE_SIZE,
  fetchAuthParams,
  fetchTransport,
  getResponsiveImageAttributes,
  IMAGEKIT_UPLOAD_ENDPOINT,
  IMAGEKIT_UPLOAD_V2_ENDPOINT,
  imageDimensions,
  isRetryable,
  mergeOptions,
  signV1,
  signV2,
  UPLOAD_FIELD_NAMES,
  UPLOADER_OPTION_NAMES,
  UploadError,
  upload,
  xhrTransport,
} from '@ik-upload/core'
export type { IKConfig, IKContextProps, SignUrl } from './IKContext'
export { IKContext, useIKConfig } from './IKContext'
export type { IKDropzoneProps } from './IKDropzone'
export { IKDropzone } from './IKDropzone'
export type { IKImageProps, LqipOptions } from './IKImage'
export { IKImage } from './IKImage'
export type { IKSourceProps } from './IKSourceProps'
export type { IKUploadElement, IKUploadProps } from './IKUpload'
export { IKUpload } from './IKUpload'
export type { IKVideoProps } from './IKVideo'
export { IKVideo } from './IKVideo'
export type { DataAttributes, DropzoneState, UseDropzoneOptions, UseDropzoneResult } from './useDropzone'
export { useDropzone } from './useDropzone'
export type { UseUploadOptions, UseUploadResult } from './useUpload'
export { useUpload, useUploader } from './useUpload'
