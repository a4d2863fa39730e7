import type { UploadError, UploadResponse } from '@ik-upload/react'
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { demoConfig } from '../demoConfig'
import { useServerStatus } from './ServerStatus'

/** The pages that upload; each keeps its own latest answer. */
export type UploadSource = 'quick' | 'queue' | 'options'

/** One uploaded file in the gallery. */
export interface GalleryEntry {
  result: UploadResponse
  /** Private files are shown through signed URLs; the response says so only when asked to. */
  isPrivate: boolean
  /** Which page uploaded it. */
  source: UploadSource
  at: number
}

/** The latest thing the server (or the client's own checks) said to one page, for its response panel. */
export type Activity =
  | { kind: 'success'; fileName: string; result: UploadResponse; at: number }
  | {
      kind: 'error'
      fileName: string
      error: Pick<UploadError, 'code' | 'message' | 'help' | 'status' | 'field'>
      at: number
    }

interface DemoState {
  gallery: readonly GalleryEntry[]
  /** Per page: a response panel shows only what its own page's uploads got back. */
  activity: Partial<Record<UploadSource, Activity>>
  recordSuccess(
    result: UploadResponse,
    details: { isPrivate?: boolean; source: UploadSource; fileName: string },
  ): void
  recordError(error: UploadError, details: { source: UploadSource; fileName: string }): void
  clearGallery(): void
}

const DemoStateContext = createContext<DemoState | undefined>(undefined)

// One gallery per upload target, so switching between local and hosted never mixes their files.
const STORAGE_KEY = `ik-upload-demo:gallery:${demoConfig.urlEndpoint}`

function loadGallery(): GalleryEntry[] {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as GalleryEntry[]
  } catch {
    return []
  }
}

/** The demo's shared state: the gallery (kept across reloads) and each page's latest activity. */
export function DemoStateProvider({ children }: { children: ReactNode }): ReactNode {
  const [gallery, setGallery] = useState<GalleryEntry[]>(loadGallery)
  const [activity, setActivity] = useState<DemoState['activity']>({})
  const { check } = useServerStatus()

  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(gallery))
  }, [gallery])

  const recordSuccess = useCallback<DemoState['recordSuccess']>((result, { isPrivate, source, fileName }) => {
    const entry = { result, isPrivate: Boolean(result.isPrivateFile ?? isPrivate), source, at: Date.now() }
    // An overwrite keeps its fileId: the newer upload replaces the older card.
    setGallery((entries) => [entry, ...entries.filter((old) => old.result.fileId !== result.fileId)])
    setActivity((all) => ({ ...all, [source]: { kind: 'success', fileName, result, at: entry.at } }))
  }, [])

  const recordError = useCallback<DemoState['recordError']>(
    (error, { source, fileName }) => {
      const { code, message, help, status, field } = error
      const at = Date.now()
      setActivity((all) => ({
        ...all,
        [source]: { kind: 'error', fileName, error: { code, message, help, status, field }, at },
      }))
      // The connection failed: ask the server now, so the header says whether it is down.
      if (code === 'network' || code === 'timeout') void check()
    },
    [check],
  )

  const clearGallery = useCallback(() => setGallery([]), [])

  const value = useMemo(
    () => ({ gallery, activity, recordSuccess, recordError, clearGallery }),
    [gallery, activity, recordSuccess, recordError, clearGallery],
  )
  return <DemoStateContext.Provider value={value}>{children}</DemoStateContext.Provider>
}

export function useDemoState(): DemoState {
  const state = useContext(DemoStateContext)
  if (!state) throw new Error('useDemoState must be used inside <DemoStateProvider>.')
  return state
}
