/**
 * `base` with every value of `over` that is not `null`/`undefined`: the `??` merge, so that an
 * override of `false` beats a default of `true` and an unset prop keeps the default.
 */
export function mergeOptions<T extends object>(base: T, over?: object | null): T {
  const merged = { ...base } as Record<string, unknown>
  for (const key in over) merged[key] = (over as Record<string, unknown>)[key] ?? merged[key]
  return merged as T
}
