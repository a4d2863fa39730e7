// The benchmark's baseline: the least an upload server can do. busboy parses the multipart body
// and pipes the file part to disk; nothing is judged, recorded or detected. Run by server.mjs in
// its own process so its memory is measured alone.
import { randomUUID } from 'node:crypto'
import { createWriteStream, mkdirSync } from 'node:fs'
import { createServer } from 'node:http'
import { join } from 'node:path'
import busboy from 'busboy'

const dir = process.argv[2]
mkdirSync(dir, { recursive: true })

const server = createServer((req, res) => {
  const parser = busboy({ headers: req.headers })
  const fields = {}
  let written = Promise.resolve(0)
  parser.on('field', (name, value) => {
    fields[name] = value
  })
  parser.on('file', (_name, stream) => {
    const path = join(dir, randomUUID())
    written = new Promise((resolve, reject) => {
      const out = createWriteStream(path)
      let size = 0
      stream.on('data', (chunk) => {
        size += chunk.length
      })
      stream
        .pipe(out)
        .on('finish', () => resolve(size))
        .on('error', reject)
    })
  })
  parser.on('close', async () => {
    const size = await written
    res.setHeader('Content-Type', 'application/json; charset=utf-8')
    res.end(JSON.stringify({ name: fields.fileName, size }))
  })
  req.pipe(parser)
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`)
})
process.on('message', (message) => {
  if (message === 'rss') process.send?.({ rss: process.memoryUsage().rss })
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
