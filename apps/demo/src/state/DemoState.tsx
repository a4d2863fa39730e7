import type { UploadError, UploadResponse } from '@ik-upload/react'
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { demoConfig } from '../demoConfig'

/** One uploaded file in the gallery. */
export interface GalleryEntry {
  result: UploadResponse
  /** Private files are shown through signed URLs; the response says so only when asked to. */
  isPrivate: boolean
  /** Which page uploaded it. */
  source: string
  at: number
}

/** The latest thing the server (or the client's own checks) said, for the response panel. */
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
  activity: Activity | undefined
  recordSuccess(
    result: UploadResponse,
    details: { isPrivate?: boolean; source: string; fileName: string },
  ): void
  recordError(error: UploadError, details: { fileName: string }): void
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

/** The demo's shared state: the gallery (kept across reloads) and the latest activity. */
export function DemoStateProvider({ children }: { children: ReactNode }): ReactNode {
  const [gallery, setGallery] = useState<GalleryEntry[]>(loadGallery)
  const [activity, setActivity] = useState<Activity>()

  useEffect(() => {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(gallery))
  }, [gallery])

  const recordSuccess = useCallback<DemoState['recordSuccess']>((result, { isPrivate, source, fileName }) => {
    const entry = { result, isPrivate: Boolean(result.isPrivateFile ?? isPrivate), source, at: Date.now() }
    // An overwrite keeps its fileId: the newer upload replaces the older card.
    setGallery((entries) => [entry, ...entries.filter((old) => old.result.fileId !== result.fileId)])
    setActivity({ kind: 'success', fileName, result, at: entry.at })
  }, [])

  const recordError = useCallback<DemoState['recordError']>((error, { fileName }) => {
    const { code, message, help, status, field } = error
    setActivity({ kind: 'error', fileName, error: { code, message, help, status, field }, at: Date.now() })
  }, [])

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
