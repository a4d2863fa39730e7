// A reverse HTTP proxy that adds a fixed delay to every response, to stand for a network between the
// browser and the servers: each request is forwarded at once (its body streamed as it comes), and the
// first byte of its answer leaves `delayMs` after the upstream answered. The delay is per request, not
// per connection, so keep-alive connections pay it on every request as they would on a real network.
import { Agent, createServer, request } from 'node:http'

// Hop-by-hop headers belong to one connection; each side of the proxy has its own.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
])

const endToEnd = (headers) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())))

/**
 * Starts the proxy on 127.0.0.1 and a free port.
 * @param {{
 *   target: string,
 *   delayMs: number,
 *   serve?: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => boolean,
 * }} options `target` is the upstream base URL; `serve` answers some requests itself, at once (the
 *   page, so that the page and the auth endpoint share an origin as in an app), by returning true
 * @returns {Promise<{ url: string, setDelay(ms: number): void, close(): Promise<void> }>}
 */
export async function startLatencyProxy({ target, delayMs, serve }) {
  const upstream = new URL(target)
  let delay = delayMs
  // Keep-alive towards the upstream too, so the proxy adds no connection setup of its own.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const server = createServer((req, res) => {
    if (serve?.(req, res)) return
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...endToEnd(req.headers), host: upstream.host },
        agent,
      },
      (answer) => {
        setTimeout(() => {
          res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers))
          answer.pipe(res)
        }, delay)
      },
    )
    forward.on('error', () => res.destroy())
    req.on('error', () => forward.destroy())
    req.pipe(forward)
  })
  // Longer than the gaps between rows, so connections stay warm as in a browsing session.
  server.keepAliveTimeout = 30_000
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    setDelay(ms) {
      delay = ms
    },
    close() {
      agent.destroy()
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
