// Reads a Chromium trace (categories `toplevel` and `blink.user_timing`) for the page's main-thread
// tasks during a row: every task a thread runs is one `ThreadControllerImpl::RunTask` complete event,
// and the page marks the row's start and end (`performance.mark`), which also tells which thread
// is the page's main thread.

const TASK = 'ThreadControllerImpl::RunTask'

/**
 * The tasks of the thread that recorded `startMark` and `endMark`, clipped to the time between the
 * marks (so the tracing's own start and stop do not count). Nested tasks (a nested run loop) are
 * inside their parent's duration, so only the outermost ones count.
 * @param {Buffer | string} trace the JSON Chromium returns when tracing stops
 * Wall durations count the time a task held the thread, preemption by other processes included; the
 * CPU figures (`tdur`, thread time) count only the thread's own work, which is what a shared and
 * loaded machine leaves comparable.
 * @returns {{ busyMs: number, busyCpuMs: number, longestMs: number, longestCpuMs: number, tasks: number, over16: number, windowMs: number }}
 */
export function mainThreadTasks(trace, startMark = 'bench:start', endMark = 'bench:end') {
  const parsed = JSON.parse(String(trace))
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents
  const start = events.find((event) => event.name === startMark)
  const end = events.find((event) => event.name === endMark)
  if (!start || !end) throw new Error(`the trace holds no ${startMark}/${endMark} marks`)
  const tasks = events
    .filter(
      (event) =>
        event.ph === 'X' &&
        event.name === TASK &&
        event.pid === start.pid &&
        event.tid === start.tid &&
        event.ts < end.ts &&
        event.ts + event.dur > start.ts,
    )
    .sort((a, b) => a.ts - b.ts)
  const result = {
    busyMs: 0,
    busyCpuMs: 0,
    longestMs: 0,
    longestCpuMs: 0,
    tasks: 0,
    over16: 0,
    windowMs: (end.ts - start.ts) / 1000,
  }
  let outerEnd = -Infinity
  for (const { ts, dur, tdur = dur } of tasks) {
    if (ts < outerEnd) continue
    outerEnd = ts + dur
    const ms = (Math.min(outerEnd, end.ts) - Math.max(ts, start.ts)) / 1000
    // A task cut by the window keeps the same share of its thread time.
    const cpuMs = dur ? (tdur * ms * 1000) / dur / 1000 : 0
    result.tasks++
    result.busyMs += ms
    result.busyCpuMs += cpuMs
    result.longestMs = Math.max(result.longestMs, ms)
    result.longestCpuMs = Math.max(result.longestCpuMs, cpuMs)
    if (ms > 16) result.over16++
  }
  return result
}
