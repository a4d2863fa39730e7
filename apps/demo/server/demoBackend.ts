import type { IncomingMessage, ServerResponse } from 'node:http'
import { signDeliveryUrl } from '@ik-upload/server'
import { createNodeAuthHandler } from '@ik-upload/server/node'
import type { Connect, Plugin } from 'vite'

/** What the demo's backend needs: the secrets stay here, in the Node process. */
export interface DemoBackendOptions {
  /** Signs upload tokens and private delivery URLs; never sent to the browser. */
  privateKey: string
  /** The delivery base URL that signed URLs are made for. */
  urlEndpoint: string
  /** Seconds a signed delivery URL stays valid. @default 3600 */
  signedUrlLifetime?: number
}

/** The routes the demo's browser code calls, relative to the demo's own origin. */
export const AUTH_ROUTE = '/api/auth'
export const SIGNED_URL_ROUTE = '/api/signed-url'

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  res.end(JSON.stringify(body))
}

/**
 * The demo app's backend as a Vite plugin, mounted on the dev server and on `vite preview`: the
 * upload auth endpoint (`@ik-upload/server`'s Node adapter) and a URL signer for private files.
 * Both run in Node with the private key; the browser only ever sees their answers.
 *
 * A real app must check who is asking before it signs anything (createAuthHandler's `authorize`,
 * and a per-file permission check here); the demo is single-user and local, so it signs for anyone.
 */
export function demoBackend({
  privateKey,
  urlEndpoint,
  signedUrlLifetime = 3600,
}: DemoBackendOptions): Plugin {
  const auth = createNodeAuthHandler({ privateKey })

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
    middlewares.use(AUTH_ROUTE, (req, res, next) => void auth(req, res, next))
    middlewares.use(SIGNED_URL_ROUTE, (req, res, next) => void signedUrl(req, res).catch(next))
  }
  return {
    name: 'ik-upload-demo-backend',
    configureServer: (server) => mount(server.middlewares),
    configurePreviewServer: (server) => mount(server.middlewares),
  }
}
