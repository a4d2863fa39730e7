export type { V2Authorize, V2AuthorizeResult, V2AuthReply, V2UploadFields } from '@ik-upload/core/protocol'
export { UploadRefusal } from '@ik-upload/core/protocol'
export type { AllowedOrigins, CorsOptions, FetchHandler } from './corsPolicy'
export type { AuthHandlerOptions } from './createAuthHandler'
export { createAuthHandler } from './createAuthHandler'
export type { V2AuthHandlerOptions } from './createV2AuthHandler'
export { createV2AuthHandler } from './createV2AuthHandler'
export type {
  AuthenticationParameters,
  GetAuthenticationParametersOptions,
} from './getAuthenticationParameters'
export { DEFAULT_EXPIRE_IN_SECONDS, getAuthenticationParameters } from './getAuthenticationParameters'
export { type SignDeliveryUrlOptions, signDeliveryUrl } from './signDeliveryUrl'
export type { SignV2UploadTokenOptions } from './signV2UploadToken'
export { signV2UploadToken } from './signV2UploadToken'
export type { VerifyUploadSignatureOptions } from './verifyUploadSignature'
export { verifyUploadSignature } from './verifyUploadSignature'
