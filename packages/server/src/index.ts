export type { AllowedOrigins, AuthHandlerOptions, FetchHandler } from './createAuthHandler'
export { createAuthHandler } from './createAuthHandler'
export type {
  AuthenticationParameters,
  GetAuthenticationParametersOptions,
} from './getAuthenticationParameters'
export { DEFAULT_EXPIRE_IN_SECONDS, getAuthenticationParameters } from './getAuthenticationParameters'
export { type SignDeliveryUrlOptions, signDeliveryUrl } from './signDeliveryUrl'
export type { VerifyUploadSignatureOptions } from './verifyUploadSignature'
export { verifyUploadSignature } from './verifyUploadSignature'
