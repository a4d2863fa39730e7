import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react'
import { demoConfig } from '../demoConfig'

/** What the demo knows about the upload server: not asked yet, answering, or not reachable. */
export type ServerState = 'checking' | 'up' | 'down'

interface ServerStatus {
  state: ServerState
  /** Asks the server now; resolves whether it answered (any HTTP answer counts). */
  check(): Promise<boolean>
}

const ServerStatusContext = createContext<ServerStatus | undefined>(undefined)

// While the server answers, a slow heartbeat; once it stops, a quick one, so recovery shows fast.
const UP_INTERVAL_MS = 10_000
const DOWN_INTERVAL_MS = 2_000
const CHECK_TIMEOUT_MS = 4_000

/** The origin that answers `GET /` on the local server (its endpoints as JSON); the delivery host for hosted. */
const probeUrl = `${new URL(demoConfig.mode === 'local' ? demoConfig.uploadEndpoint : demoConfig.urlEndpoint).origin}/`

/**
 * Keeps the header's server badge honest: in local mode it asks the local server every few seconds
 * (and at once when an upload fails with a network error or the tab comes back), so the badge goes
 * red while the server is down and green again when it returns. Hosted ImageKit is only asked on
 * demand, after a failure, never polled.
 */
export function ServerStatusProvider({ children }: { children: ReactNode }): ReactNode {
  const [state, setState] = useState<ServerState>('checking')
  const inFlight = useRef<Promise<boolean>>(undefined)

  const check = useCallback(() => {
    // `no-cors`: any answer at all (an opaque response) means the server is there; only a refused
    // or dropped connection rejects.
    inFlight.current ??= fetch(probeUrl, {
      mode: 'no-cors',
      cache: 'no-store',
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    })
      .then(
        () => true,
        () => false,
      )
      .then((ok) => {
        inFlight.current = undefined
        setState(ok ? 'up' : 'down')
        return ok
      })
    return inFlight.current
  }, [])

  useEffect(() => {
    if (demoConfig.mode !== 'local') {
      setState('up')
      return
    }
    let timer: ReturnType<typeof setTimeout>
    let stopped = false
    const beat = async () => {
      const ok = await check()
      if (!stopped) timer = setTimeout(beat, ok ? UP_INTERVAL_MS : DOWN_INTERVAL_MS)
    }
    void beat()
    const now = () => void check()
    window.addEventListener('online', now)
    window.addEventListener('focus', now)
    return () => {
      stopped = true
      clearTimeout(timer)
      window.removeEventListener('online', now)
      window.removeEventListener('focus', now)
    }
  }, [check])

  const value = useMemo(() => ({ state, check }), [state, check])
  return <ServerStatusContext.Provider value={value}>{children}</ServerStatusContext.Provider>
}

export function useServerStatus(): ServerStatus {
  const status = useContext(ServerStatusContext)
  if (!status) throw new Error('useServerStatus must be used inside <ServerStatusProvider>.')
  return status
}
