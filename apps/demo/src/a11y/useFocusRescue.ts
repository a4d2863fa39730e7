import { type RefObject, useEffect, useLayoutEffect, useRef } from 'react'

/** Where focus was inside the container, remembered until it moves elsewhere. */
export interface LastFocus {
  element: HTMLElement
  /** `data-row` of the row it was in (e.g. a queue item's id), if any. */
  row?: string
  /** That row's position among the container's rows when it had focus. */
  index: number
}

/**
 * Keeps keyboard focus from falling to `<body>` when the focused control disappears: Cancel
 * becomes Retry, a removed row takes its buttons with it, an upload ends under its Cancel. After
 * every render it checks whether the element that had focus inside `container` is gone while
 * nothing else has focus, and if so focuses what `pick` chooses (the same row's next button, the
 * next row, the list). A click elsewhere forgets the element, so focus is never pulled back from
 * where the user put it.
 */
export function useFocusRescue(
  container: RefObject<HTMLElement | null>,
  pick: (last: LastFocus, container: HTMLElement) => HTMLElement | null | undefined,
): void {
  const last = useRef<LastFocus>(undefined)
  const pickRef = useRef(pick)
  pickRef.current = pick

  useEffect(() => {
    const onFocusIn = (event: FocusEvent) => {
      const root = container.current
      const target = event.target as HTMLElement
      if (!root?.contains(target)) {
        last.current = undefined
        return
      }
      const rowElement = target.closest<HTMLElement>('[data-row]')
      const rows = [...root.querySelectorAll('[data-row]')]
      last.current = {
        element: target,
        row: rowElement?.dataset.row,
        index: rowElement ? rows.indexOf(rowElement) : -1,
      }
    }
    const onPointerDown = (event: PointerEvent) => {
      if (!container.current?.contains(event.target as Node)) last.current = undefined
    }
    document.addEventListener('focusin', onFocusIn)
    document.addEventListener('pointerdown', onPointerDown, true)
    return () => {
      document.removeEventListener('focusin', onFocusIn)
      document.removeEventListener('pointerdown', onPointerDown, true)
    }
  }, [container])

  // Every render: the DOM is updated, the browser has not painted, so the move is not seen.
  useLayoutEffect(() => {
    const lost = last.current
    const root = container.current
    if (!lost || !root || lost.element.isConnected) return
    const active = document.activeElement
    if (active && active !== document.body) return
    const target = pickRef.current(lost, root)
    if (target) target.focus()
    else last.current = undefined
  })
}
