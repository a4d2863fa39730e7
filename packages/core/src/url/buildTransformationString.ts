import type { Overlay, OverlayPosition, OverlayTiming, Transformation } from './Transformation'

/** Any layer's fields, read without narrowing on `type` first (which may be missing or unknown). */
interface LayerFields {
  type?: string
  text?: string
  input?: string
  color?: string
  encoding?: string
  layerMode?: string
  position?: OverlayPosition
  timing?: OverlayTiming
  transformation?: Transformation[]
}

// Readable names and ImageKit's URL parameters, the list of `@imagekit/javascript` 5, as one
// string: a third smaller in the bundle than an object, and it needs no own-property check
// (`constructor` is not Object's here). A name that is not here goes into the URL as it is.
const PARAMETERS =
  ' width=w height=h aspectRatio=ar background=bg border=b crop=c cropMode=cm dpr=dpr focus=fo quality=q' +
  ' x=x xCenter=xc y=y yCenter=yc format=f videoCodec=vc audioCodec=ac radius=r rotation=rt blur=bl named=n' +
  ' defaultImage=di flip=fl original=orig startOffset=so endOffset=eo duration=du streamingResolutions=sr' +
  ' grayscale=e-grayscale aiUpscale=e-upscale aiRetouch=e-retouch aiVariation=e-genvar' +
  ' aiDropShadow=e-dropshadow aiChangeBackground=e-changebg aiEdit=e-edit aiRemoveBackground=e-bgremove' +
  ' aiRemoveBackgroundExternal=e-removedotbg contrastStretch=e-contrast shadow=e-shadow sharpen=e-sharpen' +
  ' unsharpMask=e-usm gradient=e-gradient colorReplace=cr distort=e-distort progressive=pr lossless=lo' +
  ' colorProfile=cp metadata=md opacity=o trim=t zoom=z page=pg layerMode=lm fontSize=fs fontFamily=ff' +
  ' fontColor=co innerAlignment=ia padding=pa alpha=al typography=tg lineHeight=lh fontOutline=fol' +
  ' fontShadow=fsh raw=raw '

/** The URL parameter of a readable name, or `''`. */
function parameter(name: string): string {
  const at = PARAMETERS.indexOf(` ${name}=`)
  return at < 0 ? '' : PARAMETERS.slice(at + name.length + 2, PARAMETERS.indexOf(' ', at + 1))
}

/** Effects that take no value: written bare for `true`, `'true'` or `'-'`, left out otherwise. */
const SWITCHES = /^e-(grayscale|contrast|removedotbg|bgremove|upscale|retouch|genvar)$/
/** Effects with optional parameters: bare for `true`, `'true'` or a blank value. */
const OPTIONAL_VALUE = /^e-(sharpen|shadow|gradient|usm|dropshadow)$/

/** Drops one leading and one trailing `/`. */
const trimSlashes = (path: string) => path.replace(/^\/|\/$/g, '')

/** A layer's parameters after its input, in ImageKit's order. */
const LAYER_PARAMETERS = 'lm lx ly lxc lyc lap lfo lso leo ldu'.split(' ')

/**
 * A layer as `l-<kind>,<input>,<mode, position, timing>,<steps>,l-end`, or `undefined` without
 * a type or an input. The input is plain (`i-`, a path's `/` as `@@`, text URL-escaped) when its
 * characters allow (ImageKit's sets), else base64 of its UTF-8 (`ie-`; `btoa`'s Latin-1 would
 * throw on emoji); `encoding` forces either.
 */
function layer(overlay: Overlay): string | undefined {
  const {
    type,
    text: words,
    input: file,
    color,
    encoding,
    position = {},
    timing = {},
  } = overlay as LayerFields
  if (!type) return
  const parts: string[] = []
  if (/^(text|image|video|subtitle|solidColor)$/.test(type)) {
    const text = type === 'text'
    const value = text ? words : type === 'solidColor' ? color : file
    if (!value) return
    if (type === 'solidColor') parts.push(`l-image,i-ik_canvas,bg-${value}`)
    else {
      const input = text ? value : trimSlashes(value)
      parts.push(
        `l-${type === 'subtitle' ? 'subtitles' : type}`,
        encoding === 'base64' ||
          (encoding !== 'plain' && !(text ? /^[\w\-. ]*$/ : /^[\w\-./ ]*$/).test(input))
          ? `ie-${encodeURIComponent(btoa(String.fromCharCode(...new TextEncoder().encode(input))))}`
          : `i-${text ? encodeURIComponent(input) : input.replace(/\//g, '@@')}`,
      )
    }
  }
  const { x, y, xCenter, yCenter, anchorPoint, focus } = position
  const { start, end, duration } = timing
  // Falsy values (0, '') are left out, as ImageKit's SDK does.
  const values = [overlay.layerMode, x, y, xCenter, yCenter, anchorPoint, focus, start, end, duration]
  for (const [i, value] of values.entries()) if (value) parts.push(`${LAYER_PARAMETERS[i]}-${value}`)
  const steps = buildTransformationString(overlay.transformation)
  if (steps.trim()) parts.push(steps)
  parts.push('l-end')
  return parts.join(',')
}

/**
 * The transformation string of a delivery URL, as ImageKit's `@imagekit/javascript` 5 writes it:
 * each step's parameters joined with `,` (in the order of its keys), steps chained with `:`.
 * `undefined`/`null` values are left out, `raw` goes in as written, layers (`overlay`) are expanded,
 * and a name this module does not know goes in as it is. Not an array: `''`.
 *
 * @example
 * buildTransformationString([{ width: 300, height: 200 }, { rotation: 90 }]) // 'w-300,h-200:rt-90'
 */
export function buildTransformationString(transformation: Transformation[] | undefined): string {
  if (!Array.isArray(transformation)) return ''
  const steps: string[] = []
  for (const step of transformation) {
    const parts: string[] = []
    for (const key in step) {
      const value: unknown = step[key as keyof Transformation]
      if (value == null) continue
      if (key === 'overlay' && typeof value === 'object') {
        const text = layer(value as Overlay)
        if (text?.trim()) parts.push(text)
        continue
      }
      const name = parameter(key) || parameter(key.toLowerCase()) || key
      const bare = value === true || value === 'true'
      const blank = !String(value).trim()
      if (SWITCHES.test(name)) {
        if (bare || value === '-') parts.push(name)
      } else if (key === 'raw') parts.push(value as string)
      else if (name)
        parts.push(
          OPTIONAL_VALUE.test(name) && (bare || blank)
            ? name
            : // A default image's path has no outer slashes and its inner ones as `@@`.
              `${name}-${
                name === 'di'
                  ? trimSlashes(String(value)).replace(/\//g, '@@')
                  : name === 'sr' && Array.isArray(value)
                    ? value.join('_')
                    : name === 't' && blank
                      ? true
                      : value
              }`,
        )
    }
    if (parts.length) steps.push(parts.join(','))
  }
  return steps.join(':')
}
