/** A failed expectation: its message is the FAIL line's reason. */
export class CheckFailure extends Error {
  override name = 'CheckFailure'
}

/** Throws a `CheckFailure` with `reason` unless `condition` holds. */
export function expect(condition: unknown, reason: string): asserts condition {
  if (!condition) throw new CheckFailure(reason)
}

/** One check's outcome, as printed. */
export interface CheckResult {
  name: string
  ok: boolean
  /** Why it failed, or what it saw when it passed. */
  detail: string
  seconds: number
}

/** Every check run so far, in the order they finished. */
export const results: CheckResult[] = []

const indent = (text: string) => text.replace(/\n/g, '\n      ')

/**
 * Runs one check and prints `PASS name (what it saw)` or `FAIL name: reason`. `body` returns a short
 * note on success and throws on failure; any error counts, so a crash in a check is a FAIL with its
 * message rather than a crash of the run. Resolves with the body's value, or `undefined` on failure,
 * so later checks can build on an earlier one's output.
 */
export async function runCheck<T extends string | { note: string } | undefined>(
  name: string,
  body: () => Promise<T>,
): Promise<T | undefined> {
  const started = performance.now()
  const seconds = () => Math.round((performance.now() - started) / 100) / 10
  try {
    const value = await body()
    const note = typeof value === 'string' ? value : (value?.note ?? '')
    results.push({ name, ok: true, detail: note, seconds: seconds() })
    console.log(`PASS  ${name}${note ? ` (${note})` : ''}  [${seconds()} s]`)
    return value
  } catch (error) {
    const reason =
      error instanceof CheckFailure ? error.message : `${(error as Error)?.stack ?? String(error)}`
    results.push({ name, ok: false, detail: reason, seconds: seconds() })
    console.log(`FAIL  ${name}: ${indent(reason)}  [${seconds()} s]`)
    return undefined
  }
}
