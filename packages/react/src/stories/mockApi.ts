/**
 * The mock upload API behind every story: one `@ik-upload/msw` mock (auth endpoint, upload API and
 * delivery, in memory), run by msw's browser worker in Storybook and by msw's `setupServer` in the
 * stories' vitest run, so both judge uploads with the same protocol code and the static Storybook
 * works offline. Stories inject failures through its knobs (`mock.failNext`).
 */
import type { V2Authorize } from '@ik-upload/core/protocol'
import {
  DEV_AUTH_ENDPOINT,
  DEV_AUTH_V2_ENDPOINT,
  DEV_PRIVATE_KEY,
  DEV_PUBLIC_KEY,
  DEV_URL_ENDPOINT,
  deliveryHandlers,
  uploadHandlers,
} from '@ik-upload/msw'
import { DELIVERY_SAMPLES } from './deliverySamples'

// A `.test` host (a reserved TLD) rather than the client's default, ImageKit's: should the worker
// not run, an upload fails at once instead of reaching ImageKit with throwaway keys.
export const UPLOAD_ENDPOINT = 'https://upload.ikupload.test/api/v1/files/upload'
export const AUTH_ENDPOINT = DEV_AUTH_ENDPOINT
/** The mock's v2 auth endpoint (`POST {fields}` → `{token, fields}`), for `signer={signV2}`. */
export const AUTH_V2_ENDPOINT = DEV_AUTH_V2_ENDPOINT
/** The mock's v2 upload URL, beside the v1 one. */
export const UPLOAD_V2_ENDPOINT = UPLOAD_ENDPOINT.replace('/v1/', '/v2/')
export const URL_ENDPOINT = DEV_URL_ENDPOINT

/**
 * The rules of the mock's v2 backend (its `authorizeV2`): a story sets `authorize` (e.g. to force a
 * folder) and puts it back in its cleanup; unset, every v2 request is signed as sent.
 */
export const v2Backend: { authorize?: V2Authorize } = {}

/**
 * The mock, shared by every story. Its keys are the msw package's throwaway dev keys, of no ImageKit
 * account: the private key sits in the page only because the mock signs and judges requests in-page.
 */
export const mock = uploadHandlers({
  publicKey: DEV_PUBLIC_KEY,
  privateKey: DEV_PRIVATE_KEY,
  authEndpoint: AUTH_ENDPOINT,
  uploadEndpoint: UPLOAD_ENDPOINT,
  urlEndpoint: URL_ENDPOINT,
  authorizeV2: (request, fields) => v2Backend.authorize?.(request, fields),
})

// The sample files first: a path they lack (an upload) falls through to the mock's own delivery.
mock.handlers.unshift(...deliveryHandlers({ urlEndpoint: URL_ENDPOINT, files: DELIVERY_SAMPLES }))

/** What the stories' `IKContext` provides. */
export const mockConfig = {
  publicKey: DEV_PUBLIC_KEY,
  authenticationEndpoint: AUTH_ENDPOINT,
  uploadEndpoint: UPLOAD_ENDPOINT,
  urlEndpoint: URL_ENDPOINT,
}
