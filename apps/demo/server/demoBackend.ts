import type { IncomingMessage, ServerResponse } from 'node:http'
import type { V2Authorize } from '@ik-upload/server'
import { signDeliveryUrl } from '@ik-upload/server'
import { createNodeAuthHandler, createNodeV2AuthHandler } from '@ik-upload/server/node'
import type { Connect, Plugin } from 'vite'

/** What the demo's backend needs: the secrets stay here, in the Node process. */
export interface DemoBackendOptions {
  /** Signs upload tokens and private delivery URLs; never sent to the browser. */
  privateKey: string
  /** The delivery base URL that signed URLs are made for. */
  urlEndpoint: string
  /** Seconds a signed delivery URL stays valid. @default 3600 */
  signedUrlLifetime?: number
  /**
   * The account's public key, the `kid` of v2 upload tokens.
   * @default process.env.VITE_IK_PUBLIC_KEY (what scripts/dev.ts gives the browser)
   */
  publicKey?: string
}

/** The routes the demo's browser code calls, relative to the demo's own origin. */
export const AUTH_ROUTE = '/api/auth'
/** The v2 auth endpoint: `POST {fields}` → `{token, fields}`, for `signer={signV2}`. */
export const AUTH_V2_ROUTE = '/api/auth/v2'
export const SIGNED_URL_ROUTE = '/api/signed-url'

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  res.end(JSON.stringify(body))
}

/** Where the demo's backend keeps v2 uploads: a folder inside it is kept, any other becomes it. */
export const V2_DEMO_FOLDER = '/v2-demo'
/** The tag the demo's backend adds to every v2 upload it signs. */
export const V2_DEMO_TAG = 'signed-by-backend'

/**
 * The demo backend's rule for v2 uploads, to show what v2 is for: the backend sees the fields
 * before it signs them, and what it signs is what gets stored. A folder inside `/v2-demo` is kept
 * (`/v2-demo/cats`); any other folder, or none, becomes `/v2-demo`; the tag `signed-by-backend` is
 * added to the tags. The page then uploads with the rewritten fields (it cannot send others: they
 * would not match the token), so its UI shows the backend's folder. A real app decides here from
 * the user's session, e.g. `folder: '/users/' + user.id`.
 */
export const demoV2Authorize: V2Authorize = (_request, fields) => {
  const segments = (fields.folder ?? '').split('/').filter(Boolean)
  const inside = segments[0] === V2_DEMO_FOLDER.slice(1)
  const tags = (fields.tags ?? '').split(',').filter(Boolean)
  return {
    ...fields,
    folder: inside ? fields.folder : V2_DEMO_FOLDER,
    tags: tags.includes(V2_DEMO_TAG) ? fields.tags : [...tags, V2_DEMO_TAG].join(','),
  }
}

/**
 * The demo app's backend as a Vite plugin, mounted on the dev server and on `vite preview`: the
 * upload auth endpoints (`@ik-upload/server`'s Node adapters: v1 at `/api/auth`, v2 at
 * `/api/auth/v2` with `demoV2Authorize`) and a URL signer for private files.
 * Both run in Node with the private key; the browser only ever sees their answers.
 *
 * A real app must check who is asking before it signs anything (createAuthHandler's `authorize`,
 * and a per-file permission check here); the demo is single-user and local, so it signs for anyone.
 */
export function demoBackend({
  privateKey,
  urlEndpoint,
  signedUrlLifetime = 3600,
  publicKey = process.env.VITE_IK_PUBLIC_KEY,
}: DemoBackendOptions): Plugin {
  const auth = createNodeAuthHandler({ privateKey })
  const authV2 = publicKey
    ? createNodeV2AuthHandler({ privateKey, publicKey, authorize: demoV2Authorize })
    : async (_req: IncomingMessage, res: ServerResponse) =>
        sendJson(res, 500, { message: 'The demo backend has no public key to sign v2 tokens with.' })

  // GET /api/signed-url?url=<a delivery URL under urlEndpoint, as IKImage built it>
  // (or ?path=<what follows urlEndpoint + "/", e.g. tr:w-300/private/a.jpg>)
  const signedUrl = async (req: IncomingMessage, res: ServerResponse) => {
    const query = new URL(req.url ?? '/', 'http://demo').searchParams
    const url = query.get('url') ?? undefined
    const src = query.get('path') ?? undefined
    if (!url && !src)
      return sendJson(res, 400, { message: 'Pass the URL to sign as ?url= (or a path as ?path=).' })
    const expiresAt = Math.floor(Date.now() / 1000) + signedUrlLifetime
    try {
      const signed = await signDeliveryUrl({
        privateKey,
        urlEndpoint,
        url,
        src,
        expiresIn: signedUrlLifetime,
      })
      sendJson(res, 200, { url: signed, expiresAt })
    } catch (error) {
      // A URL of another host, or one signed already: the helper says which.
      sendJson(res, 400, { message: error instanceof Error ? error.message : String(error) })
    }
  }

  const mount = (middlewares: Connect.Server) => {
    // First: a mount matches its path as a prefix, so /api/auth would take /api/auth/v2 too.
    middlewares.use(AUTH_V2_ROUTE, (req, res, next) => void authV2(req, res, next))
    middlewares.use(AUTH_ROUTE, (req, res, next) => void auth(req, res, next))
    middlewares.use(SIGNED_URL_ROUTE, (req, res, next) => void signedUrl(req, res).catch(next))
  }
  return {
    name: 'ik-upload-demo-backend',
    configureServer: (server) => mount(server.middlewares),
    configurePreviewServer: (server) => mount(server.middlewares),
  }
}
