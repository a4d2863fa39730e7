/**
 * `@ik-upload/core/protocol`: the upload API as code, written once for the client, the msw
 * handlers and the local server. The browser client imports single modules instead of this entry,
 * so that zod (in `schemas`) stays out of its bundle.
 */

export type {
  AnswerV2AuthOptions,
  V2AuthOutcome,
  V2Authorize,
  V2AuthorizeResult,
  V2AuthReply,
  V2UploadFields,
} from './answerV2AuthRequest'
export {
  answerV2AuthRequest,
  checkV2Fields,
  DEFAULT_V2_AUTH_MAX_BODY_SIZE,
  readV2AuthFields,
  signUniqueUploadJwt,
  UploadRefusal,
  V2_AUTH_BAD_BODY,
  V2_AUTH_CHECK_FAILED,
  V2_AUTH_NOT_JSON,
  V2_AUTH_REFUSED,
  V2_AUTH_TOO_DEEP,
  V2_UNSIGNABLE_FIELDS,
  v2AuthBadApproval,
  v2AuthBodyTooLarge,
  v2AuthNotStrings,
  v2AuthUnsignable,
} from './answerV2AuthRequest'
export type { CheckFacts, CheckKey, ChecksEvaluator } from './checks'
export { CHECK_KEYS, parseChecks, parseSize } from './checks'
export type { OptionProblem } from './checkUploadOptions'
export { checkUploadOptions } from './checkUploadOptions'
export type {
  PostTransformation,
  ResponseField,
  UploadExtension,
  UploadFieldOptions,
  UploadTransformation,
} from './fields'
export {
  encodeFieldValue,
  encodeUploadFields,
  POST_TRANSFORMATION_TYPES,
  RESPONSE_FIELDS,
  UPLOAD_FIELD_NAMES,
} from './fields'
export { DEFAULT_MAX_FIELDS_SIZE, fieldsTooLarge, MAX_FIELDS, tooManyFields } from './fieldsTooLarge'
export { FILE_URL_TIMEOUT_MS, MAX_FILE_URL_REDIRECTS } from './fileUrlLimits'
export { isBasicAuth } from './isBasicAuth'
export { JSON_FIELD_NAMES, jsonDepth, MAX_JSON_DEPTH, overDeepJsonField } from './jsonDepth'
export type { UploadFileContext, UploadFileFacts, UploadPlacement } from './judgeUploadFile'
export { judgeUploadFile } from './judgeUploadFile'
export type {
  DecodedFileField,
  JudgeContext,
  JudgedUpload,
  Judgement,
  Refusal,
  UploadRequestFields,
} from './judgeUploadRequest'
export {
  decodeFileField,
  judgeUploadFields,
  judgeV2UploadFields,
  newJudgedUpload,
} from './judgeUploadRequest'
export type { DecodedJwt, JwtHeader, SignUploadJwtOptions } from './jwt'
export {
  base64UrlDecode,
  base64UrlEncode,
  DEFAULT_JWT_LIFETIME_SECONDS,
  decodeJwt,
  MAX_JWT_LIFETIME_SECONDS,
  signUploadJwt,
  verifyHs256,
} from './jwt'
export type { ErrorBody } from './messages'
export {
  ACCOUNT_NOT_AUTHENTICATED,
  BOTH_AUTH_METHODS,
  CHECKS_FAILED,
  DELIVERY_NOT_FOUND,
  DELIVERY_NOT_SIGNED,
  errorBody,
  FILE_EMPTY,
  FILE_EXISTS,
  FILE_NAME_TOO_LONG,
  FILE_TOO_LARGE,
  FILE_URL_NOT_DOWNLOADED,
  HELP,
  INVALID_CHECKS_SYNTAX,
  INVALID_EXPIRE,
  INVALID_SIGNATURE,
  INVALID_TRANSFORMATION,
  invalidValue,
  MALFORMED_BODY,
  missingParameter,
  NO_UNIQUE_NAME,
  tokenUsed,
  V2_BOTH_AUTH_METHODS,
  V2_PAYLOAD_MISMATCH,
  V2_TOKEN_EXPIRED,
  V2_TOKEN_INVALID,
} from './messages'
export { mimeTypeOf } from './mimeTypeOf'
export type { FormEntry } from './parseFormBody'
export { headerParams, MAX_PARTS, parseFormBody } from './parseFormBody'
export type { RecordFields } from './recordFields'
export { recordFields } from './recordFields'
export {
  addUniqueSuffix,
  DEFAULT_MAX_FILE_SIZE,
  isCanonicalExpire,
  isValidCustomCoordinates,
  isValidCustomMetadata,
  isValidExpire,
  isValidExtensions,
  isValidFolder,
  isValidResponseFields,
  isValidTags,
  isValidTransformation,
  isValidWebhookUrl,
  MAX_EXPIRE_AHEAD_SECONDS,
  MAX_FILE_NAME_LENGTH,
  MAX_FOLDER_DEPTH,
  MAX_POST_TRANSFORMATIONS,
  MAX_TAGS_LENGTH,
  makeUniqueSuffix,
  parseBoolean,
  parseCustomCoordinates,
  parseFolder,
  parseJson,
  parseResponseFields,
  parseTags,
  sanitizeFileName,
  toFilePath,
} from './rules'
export type { AuthParamsReply, UploadRequestWireFields } from './schemas'
export {
  authParamsSchema,
  checksFieldSchema,
  customCoordinatesFieldSchema,
  customMetadataFieldSchema,
  descriptionFieldSchema,
  errorBodySchema,
  expireFieldSchema,
  extensionsFieldSchema,
  fileFieldSchema,
  fileNameFieldSchema,
  folderFieldSchema,
  publicKeyFieldSchema,
  responseFieldSchema,
  responseFieldsFieldSchema,
  signatureFieldSchema,
  tagsFieldSchema,
  tokenFieldSchema,
  transformationFieldSchema,
  uploadOptionFieldSchemas,
  uploadRequestFieldsSchema,
  uploadResponseSchema,
  webhookUrlFieldSchema,
} from './schemas'
export {
  hmacKeyBytes,
  hmacSha1Hex,
  NO_EXPIRY,
  safeEqual,
  signDeliveryPath,
  signUploadToken,
  toHex,
} from './signature'
export type {
  AITag,
  DetectedFileType,
  ExtensionState,
  FileType,
  StoredFileRecord,
  UploadResponse,
} from './uploadResponse'
export { buildUploadResponse, detectFileType, newFileId, THUMBNAIL_TRANSFORMATION } from './uploadResponse'
