/**
 * How deeply a JSON field of an upload request may nest (ours; ImageKit publishes no limit).
 *
 * `JSON.parse` copes with a `customMetadata` nested 10,000 deep, but everything after it that walks
 * the value recursively (a server's `JSON.stringify` of the record it stores, a validator) runs out
 * of stack: the request then fails with a 500 after its token was spent and its file stored. So a
 * server refuses over-deep JSON fields with `invalidValue(field)` once the request is authenticated
 * and before its token is spent (right after the signature or JWT checks), as it refuses any bad
 * field, only earlier: the token stays unspent because nothing was stored.
 *
 * Self-contained on purpose (no import), so any judge can call it.
 */

/**
 * The deepest nesting of arrays and objects a JSON field may have: `{}` is depth 1,
 * `{"a":[{}]}` depth 3. Real `customMetadata`, `extensions` and `transformation` values are 1 to 3
 * deep; 32 leaves room for any honest use and stays far below what recursion can hold.
 */
export const MAX_JSON_DEPTH = 32

/** The upload fields whose values are JSON text (spec section 2), in wire order. */
export const JSON_FIELD_NAMES = ['customMetadata', 'extensions', 'transformation'] as const

/**
 * The nesting depth of arrays and objects in a JSON text (`0` for a scalar), counted in one pass
 * over the text without parsing or recursion, so a hostile value cannot exhaust the stack here.
 * Brackets inside strings (escapes included) do not count. Text that is not JSON still gets a
 * number; judging it malformed is the field rule's job. Stops counting once past `stopAbove`.
 */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (inString) {
      if (char === 0x5c /* \ */) index++
      else if (char === 0x22 /* " */) inString = false
      continue
    }
    if (char === 0x22) inString = true
    else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > stopAbove) return deepest
      }
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) depth = Math.max(0, depth - 1)
  }
  return deepest
}

/**
 * The first JSON field of a request (in wire order) that nests deeper than `maxDepth`, or
 * `undefined` when there is none. A judge refuses the request with `invalidValue(<that field>)`
 * after its auth checks and before it spends the token.
 */
export function overDeepJsonField(
  fields: Readonly<Record<string, string | undefined>>,
  maxDepth = MAX_JSON_DEPTH,
): (typeof JSON_FIELD_NAMES)[number] | undefined {
  return JSON_FIELD_NAMES.find((name) => {
    const value = fields[name]
    return value !== undefined && jsonDepth(value, maxDepth) > maxDepth
  })
}
