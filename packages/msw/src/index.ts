export type { DeliveryFile, DeliveryHandlersOptions } from './deliveryHandlers'
export { deliveryHandlers } from './deliveryHandlers'
export type {
  AuthRequestRecord,
  InjectedFailure,
  StoredFile,
  UploadHandlersOptions,
  UploadMock,
  UploadRequestRecord,
} from './uploadHandlers'
export {
  DEV_AUTH_ENDPOINT,
  DEV_PRIVATE_KEY,
  DEV_PUBLIC_KEY,
  DEV_URL_ENDPOINT,
  uploadHandlers,
} from './uploadHandlers'
export type { AuthV2RequestRecord, V2AuthMockOptions } from './v2AuthHandlers'
export { DEV_AUTH_V2_ENDPOINT } from './v2AuthHandlers'
