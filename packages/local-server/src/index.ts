export type { CommitResult, ReceivedFileFacts, StoredFile } from './FileStore'
export { FileStore } from './FileStore'
export type { DeliveryOptions, RenderEvent } from './ImageRenderer'
export type { DevKeys } from './loadDevKeys'
export { KEYS_FILE, loadDevKeys } from './loadDevKeys'
export type { CliOptions } from './parseCliOptions'
export { parseCliOptions, USAGE } from './parseCliOptions'
export type { ParsedTransformation, Transformation, TransformationStep } from './parseTransformation'
export { parseTransformation } from './parseTransformation'
export type { LocalServer, LocalServerOptions, RequestLogEntry } from './startLocalServer'
export {
  AUTH_PATH,
  AUTH_V2_PATH,
  DELIVERY_PREFIX,
  startLocalServer,
  UPLOAD_PATH_V1,
  UPLOAD_PATH_V2,
} from './startLocalServer'
