import { useSyncExternalStore } from 'react'

/** The demo's pages, addressed by hash so that the static build needs no server routing. */
export const ROUTES = ['/', '/queue', '/options', '/gallery'] as const
export type Route = (typeof ROUTES)[number]

const subscribe = (listener: () => void) => {
  window.addEventListener('hashchange', listener)
  return () => window.removeEventListener('hashchange', listener)
}

const current = (): Route => {
  const path = window.location.hash.replace(/^#/, '') || '/'
  return (ROUTES as readonly string[]).includes(path) ? (path as Route) : '/'
}

/** The current page, re-rendered on navigation. */
export function useHashRoute(): Route {
  return useSyncExternalStore(subscribe, current, current)
}
