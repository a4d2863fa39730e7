import type { ServerResponse } from 'node:http'
import { errorBody } from '@ik-upload/core/protocol'

/** The upload API's content type (spec section 1), charset included. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

/**
 * Sends a JSON body with the headers every upload API response carries (CORS and the request id are
 * set by the router before any handler runs). `close` asks for `Connection: close`: used when the
 * answer comes before the request body was read to its end, so the unread rest is never read.
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return
  const text = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('Content-Type', JSON_CONTENT_TYPE)
  res.setHeader('Content-Length', Buffer.byteLength(text))
  if (close) {
    res.setHeader('Connection', 'close')
    lingerAfterAnswer(res)
  }
  res.end(text)
}

/** How long a connection whose request body was left unread stays half-open after the answer. */
export const LINGER_MS = 2000

/**
 * After an answer that leaves the request body unread, Node closes the socket at once; the kernel
 * then resets the connection because unread bytes are pending, and a client still sending (a
 * browser uploading 100 MB) may see the reset before it reads the answer, reporting a network
 * error instead of the 400. So the socket only half-closes: the answer and a FIN go out, the body
 * stays unread (reading is paused, nothing more is buffered), and the socket is destroyed once the
 * client has had time to read the answer and hang up.
 */
function lingerAfterAnswer(res: ServerResponse): void {
  const socket = res.socket
  if (!socket) return
  // Node's server calls destroySoon() when a `Connection: close` answer finishes.
  socket.destroySoon = () => {
    socket.end()
    const timer = setTimeout(() => socket.destroy(), LINGER_MS)
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
  }
}

/** A line for the server's log about why a request failed, kept out of the response. */
export const logNotes = new WeakMap<ServerResponse, string>()

/** Sends the spec's error body `{message, help}` (section 3). */
export function sendError(res: ServerResponse, status: number, message: string, close = false): void {
  sendJson(res, status, errorBody(message), close)
}
