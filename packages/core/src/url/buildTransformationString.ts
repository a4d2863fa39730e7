import type { Transformation } from './Transformation'

/**
 * Readable names and ImageKit's URL parameters, the list of `@imagekit/javascript` 5 less the names
 * of layer-only parameters (`fontSize`, `layerMode`, ...: layers are not supported, and these mean
 * nothing outside one), as one string split at module load: smaller in the bundle than an object
 * literal, and a `Map` has no inherited keys (`constructor` is not Object's here). The calls are
 * marked pure, so a bundle that never builds a URL drops the table.
 */
const PARAMETERS = /* @__PURE__ */ new Map(
  /* @__PURE__ */ (
    'width=w height=h aspectRatio=ar background=bg border=b crop=c cropMode=cm dpr=dpr focus=fo quality=q' +
    ' x=x xCenter=xc y=y yCenter=yc format=f videoCodec=vc audioCodec=ac radius=r rotation=rt blur=bl named=n' +
    ' defaultImage=di flip=fl original=orig startOffset=so endOffset=eo duration=du streamingResolutions=sr' +
    ' grayscale=e-grayscale aiUpscale=e-upscale aiRetouch=e-retouch aiVariation=e-genvar' +
    ' aiDropShadow=e-dropshadow aiChangeBackground=e-changebg aiEdit=e-edit aiRemoveBackground=e-bgremove' +
    ' aiRemoveBackgroundExternal=e-removedotbg contrastStretch=e-contrast shadow=e-shadow sharpen=e-sharpen' +
    ' unsharpMask=e-usm gradient=e-gradient colorReplace=cr distort=e-distort progressive=pr lossless=lo' +
    ' colorProfile=cp metadata=md opacity=o trim=t zoom=z page=pg raw=raw'
  )
    .split(' ')
    .map((pair) => pair.split('=') as [string, string]),
)

/**
 * Effects written bare: the first group (switches) for `true`, `'true'` or `'-'` and left out for
 * anything else; the second (optional parameters) for `true`, `'true'` or a blank value. Matched on
 * the URL parameter, so `{ 'e-grayscale': true }` is a switch too, as in ImageKit's SDK.
 */
const EFFECT =
  /^e-(?:(grayscale|contrast|removedotbg|bgremove|upscale|retouch|genvar)|sharpen|shadow|gradient|usm|dropshadow)$/

/**
 * The transformation string of a delivery URL, as ImageKit's `@imagekit/javascript` 5 writes it:
 * each step's parameters joined with `,` (in the order of its keys), steps chained with `:`.
 * `undefined`/`null` values are left out, `raw` goes in as written, and a name this module does not
 * know goes in as it is. Layers (`overlay`) are not supported: the key is left out; write a layer
 * through `raw` (`{ raw: 'l-image,i-logo.png,l-end' }`). Not an array: `''`.
 *
 * @example
 * buildTransformationString([{ width: 300, height: 200 }, { rotation: 90 }]) // 'w-300,h-200:rt-90'
 */
export function buildTransformationString(transformation: Transformation[] | undefined): string {
  return Array.isArray(transformation)
    ? transformation
        .map((step) => {
          const parts: string[] = []
          for (const key in step) {
            const value: unknown = step[key as keyof Transformation]
            const name = PARAMETERS.get(key) ?? PARAMETERS.get(key.toLowerCase()) ?? key
            const text = String(value)
            const effect = EFFECT.exec(name)
            if (value == null || !name || key === 'overlay') continue
            if (effect && (text === 'true' || (effect[1] ? text === '-' : !text.trim()))) parts.push(name)
            else if (!effect?.[1])
              parts.push(
                key === 'raw'
                  ? text
                  : `${name}-${
                      // A default image's path has no outer slashes and its inner ones as `@@`.
                      name === 'di'
                        ? text.replace(/^\/|\/$/g, '').replace(/\//g, '@@')
                        : name === 'sr' && Array.isArray(value)
                          ? value.join('_')
                          : name === 't' && !text.trim()
                            ? true
                            : text
                    }`,
              )
          }
          return parts.join()
        })
        .filter(String)
        .join(':')
    : ''
}
