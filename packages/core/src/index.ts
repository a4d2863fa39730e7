export type {
  FileRejection,
  FileVerdict,
  RejectionCode,
  Uploader,
  UploaderOptions,
  UploaderState,
  UploadItem,
  UploadStatus,
} from './client/createUploader'
export { createUploader, mergeOptions, UPLOADER_OPTION_NAMES } from './client/createUploader'
export type {
  AuthConfig,
  Authenticator,
  AuthenticatorContext,
  AuthParams,
  V2AuthReply,
} from './client/fetchAuthParams'
export { fetchAuthParams } from './client/fetchAuthParams'
export type { ImageDimensionLimits } from './client/imageDimensions'
export { imageDimensions } from './client/imageDimensions'
export type { SignedUpload, Signer } from './client/signUpload'
export { signV1 } from './client/signUpload'
export { IMAGEKIT_UPLOAD_V2_ENDPOINT, signV2 } from './client/signV2'
export type { Transport, TransportRequest, TransportResponse } from './client/transport'
export { fetchTransport, xhrTransport } from './client/transport'
export type { UploadErrorCode, UploadErrorDetails } from './client/UploadError'
export { isRetryable, UploadError } from './client/UploadError'
export type {
  UploadCallOptions,
  UploadConfig,
  UploadOptions,
  UploadProgress,
  UploadResponse,
  UploadSource,
} from './client/upload'
export { IMAGEKIT_UPLOAD_ENDPOINT, upload } from './client/upload'
export type {
  PostTransformation,
  ResponseField,
  UploadExtension,
  UploadFieldOptions,
  UploadTransformation,
} from './protocol/fields'
export { UPLOAD_FIELD_NAMES } from './protocol/fields'
export { DEFAULT_MAX_FILE_SIZE } from './protocol/rules'
export { buildSrc } from './url/buildSrc'
export { buildTransformationString } from './url/buildTransformationString'
export type { GetImageAttributesOptions, ResponsiveImageAttributes } from './url/getResponsiveImageAttributes'
export { getResponsiveImageAttributes } from './url/getResponsiveImageAttributes'
export type {
  SrcOptions,
  Transformation,
  TransformationPosition,
} from './url/Transformation'
