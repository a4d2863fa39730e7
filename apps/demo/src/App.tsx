import { IKContext } from '@ik-upload/react'
import { type ReactNode, type RefObject, useEffect, useRef } from 'react'
import { demoConfig, isConfigured } from './demoConfig'
import { GalleryPage } from './pages/GalleryPage'
import { OptionsPage } from './pages/OptionsPage'
import { QueuePage } from './pages/QueuePage'
import { QuickStartPage } from './pages/QuickStartPage'
import { SetupPage } from './pages/SetupPage'
import { DemoStateProvider, useDemoState } from './state/DemoState'
import { ServerStatusProvider, useServerStatus } from './state/ServerStatus'
import { type Route, useHashRoute } from './useHashRoute'

const PAGES: Record<Route, { title: string; page: () => ReactNode }> = {
  '/': { title: 'Quick start', page: QuickStartPage },
  '/queue': { title: 'Queue', page: QueuePage },
  '/options': { title: 'Options', page: OptionsPage },
  '/gallery': { title: 'Gallery', page: GalleryPage },
}

/** Where uploads go, and whether that server answers right now (red while it does not). */
function ServerBadge(): ReactNode {
  const { state } = useServerStatus()
  const local = demoConfig.mode === 'local'
  const name = local ? 'local server' : 'ImageKit'
  const host = local ? ` · ${new URL(demoConfig.uploadEndpoint).host}` : ''
  return (
    // A status region: "unreachable" and the recovery are announced when they happen. No title: a
    // region's name is read with it, and a URL read aloud says nothing (the footer shows it).
    <span className="mode-pill" role="status" data-state={state}>
      {state === 'down' ? `${name} unreachable${host}` : `${name}${host}`}
    </span>
  )
}

function Header({ route }: { route: Route }): ReactNode {
  const { gallery } = useDemoState()
  return (
    <header className="app-header">
      <div className="app-header-inner">
        <a className="brand" href="#/">
          <span className="brand-mark" aria-hidden="true">
            <svg aria-hidden="true" width="14" height="14" viewBox="0 0 16 16" fill="white">
              <path d="M8 1 14 7h-4v8H6V7H2z" />
            </svg>
          </span>
          ik-upload
        </a>
        <nav className="nav" aria-label="Pages">
          {(Object.keys(PAGES) as Route[]).map((path) => (
            <a key={path} href={`#${path}`} aria-current={path === route ? 'page' : undefined}>
              {PAGES[path].title}
              {path === '/gallery' && gallery.length > 0 && (
                <span className="count">
                  {gallery.length}
                  <span className="visually-hidden"> files</span>
                </span>
              )}
            </a>
          ))}
        </nav>
        <ServerBadge />
      </div>
    </header>
  )
}

/** Skips the header. A button-like link: `#main` would be read as a route by the hash router. */
function SkipLink({ target }: { target: RefObject<HTMLElement | null> }): ReactNode {
  return (
    // biome-ignore lint/a11y/useValidAnchor: a skip link is a link by convention (screen readers list it with links); the click only keeps #main from being read as a route.
    <a
      className="skip-link"
      href="#main"
      onClick={(event) => {
        event.preventDefault()
        target.current?.focus()
      }}
    >
      Skip to content
    </a>
  )
}

/** The demo: one `IKContext` for every page, configured by `pnpm dev`. */
export function App(): ReactNode {
  const route = useHashRoute()
  const main = useRef<HTMLElement>(null)
  const firstRoute = useRef(true)
  useEffect(() => {
    document.title = `${PAGES[route].title} · ik-upload demo`
    // After a navigation (not the first load), focus the new page, so a screen reader starts there
    // and Tab goes on from it rather than from the link in the header.
    if (firstRoute.current) firstRoute.current = false
    else {
      main.current?.focus({ preventScroll: true })
      window.scrollTo(0, 0)
    }
  }, [route])
  if (!isConfigured) return <SetupPage />
  const Page = PAGES[route].page
  return (
    <IKContext
      publicKey={demoConfig.publicKey}
      urlEndpoint={demoConfig.urlEndpoint}
      uploadEndpoint={demoConfig.uploadEndpoint}
      authenticationEndpoint={demoConfig.authenticationEndpoint}
    >
      <ServerStatusProvider>
        <DemoStateProvider>
          <SkipLink target={main} />
          <Header route={route} />
          <main id="main" ref={main} tabIndex={-1}>
            <Page />
          </main>
          <footer className="footer">
            Uploads go to <code>{demoConfig.uploadEndpoint}</code>, signed by{' '}
            <code>{demoConfig.authenticationEndpoint}</code> on the demo’s own server; the private key never
            reaches this page.
          </footer>
        </DemoStateProvider>
      </ServerStatusProvider>
    </IKContext>
  )
}
