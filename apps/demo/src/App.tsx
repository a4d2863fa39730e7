import { IKContext } from '@ik-upload/react'
import type { ReactNode } from 'react'
import { demoConfig, isConfigured } from './demoConfig'
import { GalleryPage } from './pages/GalleryPage'
import { OptionsPage } from './pages/OptionsPage'
import { QueuePage } from './pages/QueuePage'
import { QuickStartPage } from './pages/QuickStartPage'
import { SetupPage } from './pages/SetupPage'
import { DemoStateProvider, useDemoState } from './state/DemoState'
import { type Route, useHashRoute } from './useHashRoute'

const PAGES: Record<Route, { title: string; page: () => ReactNode }> = {
  '/': { title: 'Quick start', page: QuickStartPage },
  '/queue': { title: 'Queue', page: QueuePage },
  '/options': { title: 'Options', page: OptionsPage },
  '/gallery': { title: 'Gallery', page: GalleryPage },
}

function Header({ route }: { route: Route }): ReactNode {
  const { gallery } = useDemoState()
  const target =
    demoConfig.mode === 'local' ? `local server · ${new URL(demoConfig.uploadEndpoint).host}` : 'ImageKit'
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
              {path === '/gallery' && gallery.length > 0 && <span className="count">{gallery.length}</span>}
            </a>
          ))}
        </nav>
        <span className="mode-pill" title={demoConfig.uploadEndpoint}>
          {target}
        </span>
      </div>
    </header>
  )
}

/** The demo: one `IKContext` for every page, configured by `pnpm dev`. */
export function App(): ReactNode {
  const route = useHashRoute()
  if (!isConfigured) return <SetupPage />
  const Page = PAGES[route].page
  return (
    <IKContext
      publicKey={demoConfig.publicKey}
      urlEndpoint={demoConfig.urlEndpoint}
      uploadEndpoint={demoConfig.uploadEndpoint}
      authenticationEndpoint={demoConfig.authenticationEndpoint}
    >
      <DemoStateProvider>
        <Header route={route} />
        <main>
          <Page />
        </main>
        <footer className="footer">
          Uploads go to <code>{demoConfig.uploadEndpoint}</code>, signed by{' '}
          <code>{demoConfig.authenticationEndpoint}</code> on the demo’s own server; the private key never
          reaches this page.
        </footer>
      </DemoStateProvider>
    </IKContext>
  )
}
