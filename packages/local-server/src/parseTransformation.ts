/** The delivery transformations the local server renders: a width, a height, the named thumbnail. */
export interface Transformation {
  /** Pixels (an integer of at least 1) or a fraction of the original width (between 0 and 1). */
  width?: number
  height?: number
  /** `n-ik_ml_thumbnail`: fit inside a 200×200 box, never enlarged (the size is ours). */
  thumbnail?: boolean
}

/** The largest width or height the server renders, so one URL cannot ask for a gigapixel image. */
export const MAX_DIMENSION = 5000

/** The named thumbnail of `thumbnailUrl` (spec section 4), without its `n-` prefix. */
export const THUMBNAIL_NAME = 'ik_ml_thumbnail'

function parseDimension(value: string): number | null {
  if (!/^\d+(\.\d+)?$/.test(value)) return null
  const number = Number(value)
  if (number <= 0) return null
  if (number < 1) return number
  return Number.isInteger(number) ? Math.min(number, MAX_DIMENSION) : null
}

/**
 * Parses an ImageKit transformation string such as `w-300,h-200` or `n-ik_ml_thumbnail` (steps
 * chained with `:` are merged, the later value winning). Parameters the local server does not render
 * are ignored, so such URLs still serve the image. Returns `null` for a malformed `w`/`h` value or an
 * unknown named transformation, which delivery answers with 400.
 */
export function parseTransformation(text: string): Transformation | null {
  const result: Transformation = {}
  for (const step of text.split(':')) {
    for (const param of step.split(',')) {
      const dash = param.indexOf('-')
      if (!param.trim()) continue
      const key = (dash < 0 ? param : param.slice(0, dash)).trim()
      const value = dash < 0 ? '' : param.slice(dash + 1).trim()
      if (key === 'w' || key === 'h') {
        const dimension = parseDimension(value)
        if (dimension === null) return null
        if (key === 'w') result.width = dimension
        else result.height = dimension
      } else if (key === 'n') {
        if (value !== THUMBNAIL_NAME) return null
        result.thumbnail = true
      }
    }
  }
  return result
}

/** A stable, file-name-safe key of a transformation, for the render cache and the ETag. */
export function transformationKey(transformation: Transformation): string {
  const { width, height, thumbnail } = transformation
  return [width !== undefined && `w${width}`, height !== undefined && `h${height}`, thumbnail && 'thumb']
    .filter(Boolean)
    .join('_')
}
