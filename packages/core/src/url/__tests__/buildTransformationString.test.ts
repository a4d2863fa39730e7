import { describe, expect, it } from 'vitest'
import { buildTransformationString } from '../buildTransformationString'
import type { Transformation } from '../Transformation'

/** @imagekit/javascript 5.3.0, test/url-generation/buildtransformationString.js: input → output. */
const OFFICIAL: ReadonlyArray<[name: string, input: Transformation[], expected: string]> = [
  ['should return an empty string when no transformations are provided', [{}], ''],
  ['should generate a transformation string for width only', [{ width: 300 }], 'w-300'],
]

/** The rules of ImageKit's SDK the official tests show only through URLs, one each. */
const RULES: ReadonlyArray<[name: string, input: unknown, expected: string]> = [
  ['gives an empty string for anything but an array', { width: 300 }, ''],
  ['gives an empty string for undefined', undefined, ''],
  ['joins the parameters of a step with , in key order', [{ height: 200, width: 300 }], 'h-200,w-300'],
  ['chains steps with :', [{ width: 300 }, { rotation: 90 }], 'w-300:rt-90'],
  ['skips a step with nothing in it', [{ width: 300 }, {}, { blur: 5 }], 'w-300:bl-5'],
  [
    'maps the issue list of readable names',
    [
      {
        aspectRatio: '4-3',
        crop: 'at_max',
        cropMode: 'pad_resize',
        focus: 'top_left',
        quality: 80,
        format: 'avif',
        blur: 6,
        radius: 'max',
        background: 'FFFFFF',
        dpr: 2,
      },
    ],
    'ar-4-3,c-at_max,cm-pad_resize,fo-top_left,q-80,f-avif,bl-6,r-max,bg-FFFFFF,dpr-2',
  ],
  ['finds a name in any case', [{ WIDTH: 10, Height: 20 }], 'w-10,h-20'],
  ['writes an unknown name as it is', [{ rt: 90, 'e-custom': 'x' }], 'rt-90,e-custom-x'],
  ['treats constructor as an unknown name, not a property of Object', [{ constructor: 1 }], 'constructor-1'],
  ['adds raw as written', [{ width: 10, raw: 'l-image,i-a.png,l-end' }], 'w-10,l-image,i-a.png,l-end'],
  [
    'writes a switch effect bare for true, "true" and "-"',
    [{ grayscale: true, contrastStretch: '-', aiUpscale: 'true' }],
    'e-grayscale,e-contrast,e-upscale',
  ],
  [
    'treats an effect written as its URL parameter as the effect, as ImageKit does',
    [{ 'e-grayscale': true, 'e-sharpen': '' }],
    'e-grayscale,e-sharpen',
  ],
  ['leaves a switch effect out for anything else', [{ grayscale: false, aiRetouch: 'yes' }], ''],
  [
    'writes an effect with optional parameters bare for true or blank',
    [{ sharpen: true, shadow: ' ' }],
    'e-sharpen,e-shadow',
  ],
  [
    'writes an effect with its parameters',
    [{ sharpen: 10, gradient: 'from-red_to-white' }],
    'e-sharpen-10,e-gradient-from-red_to-white',
  ],
  [
    'writes a default image path without outer slashes, inner ones as @@',
    [{ defaultImage: '/a/b/c.jpg/' }],
    'di-a@@b@@c.jpg',
  ],
  ['joins streaming resolutions with _', [{ streamingResolutions: ['240', '720'] }], 'sr-240_720'],
  ['writes a blank trim as true', [{ trim: '' }], 't-true'],
  [
    'writes false as false (only switch effects drop it)',
    [{ original: false, lossless: true }],
    'orig-false,lo-true',
  ],
]

describe('buildTransformationString', () => {
  it.each(OFFICIAL)('%s (official)', (_name, input, expected) => {
    expect(buildTransformationString(input)).toBe(expected)
  })

  it.each(RULES)('%s', (_name, input, expected) => {
    expect(buildTransformationString(input as Transformation[])).toBe(expected)
  })
})

describe('buildTransformationString: not supported: overlay (use raw)', () => {
  it('leaves an overlay key out, keeping the rest of the step (official case: l-text,i-Hello,l-end)', () => {
    const overlay = { type: 'text', text: 'Hello' }
    expect(buildTransformationString([{ overlay }] as unknown as Transformation[])).toBe('')
    expect(buildTransformationString([{ width: 10, overlay }] as unknown as Transformation[])).toBe('w-10')
  })

  it('writes the names of layer-only parameters (fontSize, layerMode, ...) as they are', () => {
    const step = { fontSize: 20, fontColor: 'FFFFFF', layerMode: 'multiply' }
    expect(buildTransformationString([step] as Transformation[])).toBe(
      'fontSize-20,fontColor-FFFFFF,layerMode-multiply',
    )
  })

  it("takes the layer ImageKit's SDK writes through raw", () => {
    expect(buildTransformationString([{ raw: 'l-text,i-Hello,l-end' }])).toBe('l-text,i-Hello,l-end')
    expect(buildTransformationString([{ width: 10, raw: 'l-image,i-logos@@brand.png,l-end' }])).toBe(
      'w-10,l-image,i-logos@@brand.png,l-end',
    )
  })
})
