/**
 * Render benchmark: how many times a component that shows an upload queue renders while 100 files
 * upload with 100 progress events each (10,000 events), with the default concurrency (3). Progress
 * comes from a fake transport on fake timers, so the counts do not depend on the machine's speed:
 * `pace` is the virtual time between two progress events of one file.
 *
 * Run: pnpm --filter @ik-upload/bench renders (vitest, happy-dom). Prints a table.
 */
import { IKContext, type Transport, useUpload } from '@ik-upload/react'
import { act, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { afterAll, expect, it, vi } from 'vitest'

const FILES = 100
const EVENTS = 100

/** A transport that sends `EVENTS` progress events, `pace` ms apart (0: all in one task), then succeeds. */
const pacedTransport =
  (pace: number): Transport =>
  async ({ onProgress }) => {
    for (let loaded = 1; loaded <= EVENTS; loaded++) {
      if (pace) await new Promise((resolve) => setTimeout(resolve, pace))
      onProgress?.({ loaded, total: EVENTS })
    }
    return { status: 200, text: '{"fileId":"x","name":"x"}', header: () => null }
  }

const authenticator = () => ({
  token: crypto.randomUUID(),
  expire: Math.floor(Date.now() / 1000) + 600,
  signature: 's',
})

let renders = 0
let start: (files: File[]) => void = () => {}
let done = () => false

/** What an app writes with the hook: a list of items with progress bars. */
function Queue({ pace }: { pace: number }) {
  renders++
  const { items, progress, isUploading, results, upload } = useUpload({ transport: pacedTransport(pace) })
  start = upload
  done = () => results.length === FILES
  return (
    <div>
      <progress value={progress} max={100} />
      {isUploading ? 'uploading' : 'idle'}
      <ul>
        {items.map((item) => (
          <li key={item.id}>
            {item.file.name} <progress value={item.loaded} max={item.total} />
          </li>
        ))}
      </ul>
    </div>
  )
}

/** The naive way, as with imagekitio-react: setState in onUploadProgress for every event. */
function NaiveQueue({ pace }: { pace: number }) {
  renders++
  const [, setProgress] = useState<Record<string, number>>({})
  const [finished, setFinished] = useState(0)
  const { upload } = useUpload({
    transport: pacedTransport(pace),
    onUploadProgress: ({ loaded, total }, item) =>
      setProgress((all) => ({ ...all, [item.id]: loaded / total })),
    onSuccess: () => setFinished((count) => count + 1),
  })
  start = upload
  done = () => finished === FILES
  return <p>{finished}</p>
}

const environment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }

/** Mounting and unmounting go through act(); the uploads themselves do not. */
async function inAct(callback: () => void) {
  environment.IS_REACT_ACT_ENVIRONMENT = true
  await act(async () => callback())
  environment.IS_REACT_ACT_ENVIRONMENT = false
}

async function measure(Component: typeof Queue, pace: number): Promise<{ renders: number; seconds: number }> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  const root = createRoot(document.createElement('div'))
  await inAct(() =>
    root.render(
      <IKContext publicKey="public_bench" authenticator={authenticator}>
        <Component pace={pace} />
      </IKContext>,
    ),
  )
  renders = 0
  const began = Date.now()
  // Outside act: React renders as it would in a browser (a test environment would warn about
  // updates outside act(), hence IS_REACT_ACT_ENVIRONMENT = false between inAct calls).
  start(Array.from({ length: FILES }, (_, index) => new File(['x'.repeat(1000)], `file-${index}.txt`)))
  while (!done()) await vi.advanceTimersByTimeAsync(10)
  await vi.advanceTimersByTimeAsync(100)
  const result = { renders, seconds: (Date.now() - began) / 1000 }
  await inAct(() => root.unmount())
  vi.useRealTimers()
  return result
}

const rows: string[][] = []

it('counts renders for 100 files x 100 progress events', async () => {
  for (const pace of [0, 1, 5, 10]) {
    const ours = await measure(Queue, pace)
    const naive = await measure(NaiveQueue, pace)
    rows.push([`${pace} ms`, `${ours.seconds.toFixed(1)} s`, String(ours.renders), String(naive.renders)])
    if (pace) expect(ours.renders).toBeLessThan(naive.renders)
  }
})

afterAll(() => {
  const header = [
    'pace between events',
    'virtual duration',
    'useUpload renders',
    'setState per event renders',
  ]
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  )
  const line = (cells: string[]) => cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ')
  console.log(`\n${FILES} files x ${EVENTS} progress events (${FILES * EVENTS} events), concurrency 3\n`)
  console.log([line(header), ...rows.map(line)].join('\n'))
})
