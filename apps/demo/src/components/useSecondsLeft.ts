import { useEffect, useState } from 'react'

/** Whole seconds until `at` (epoch ms), ticking each second; undefined when `at` is. */
export function useSecondsLeft(at: number | undefined): number | undefined {
  const [, tick] = useState(0)
  useEffect(() => {
    if (at === undefined) return
    const timer = setInterval(() => tick((count) => count + 1), 1000)
    return () => clearInterval(timer)
  }, [at])
  return at === undefined ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000))
}
