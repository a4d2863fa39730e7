import { describe, expect, it } from 'vitest'
import { buildTransformationString } from '../buildTransformationString'
import type { Transformation } from '../Transformation'

/** @imagekit/javascript 5.3.0, test/url-generation/buildtransformationString.js: input → output. */
const OFFICIAL: ReadonlyArray<[name: string, input: Transformation[], expected: string]> = [
  ['should return an empty string when no transformations are provided', [{}], ''],
  ['should generate a transformation string for width only', [{ width: 300 }], 'w-300'],
  [
    'should generate a transformation string for multiple transformations',
    [{ overlay: { type: 'text', text: 'Hello' } }],
    'l-text,i-Hello,l-end',
  ],
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
  [
    'writes a text layer in plain form when it can',
    [{ overlay: { type: 'text', text: 'Hi there-1.0_x' } }],
    'l-text,i-Hi%20there-1.0_x,l-end',
  ],
  [
    'writes a text layer as UTF-8 base64 when it must',
    [{ overlay: { type: 'text', text: 'café ☕' } }],
    `l-text,ie-${encodeURIComponent(Buffer.from('café ☕').toString('base64'))},l-end`,
  ],
  [
    'writes a text layer plain when asked, escaped',
    [{ overlay: { type: 'text', text: 'a,b', encoding: 'plain' } }],
    'l-text,i-a%2Cb,l-end',
  ],
  [
    'writes a file layer path with @@ and without outer slashes',
    [{ overlay: { type: 'image', input: '/logos/brand.png' } }],
    'l-image,i-logos@@brand.png,l-end',
  ],
  [
    'writes a file layer as base64 when asked',
    [{ overlay: { type: 'video', input: 'a.mp4', encoding: 'base64' } }],
    `l-video,ie-${encodeURIComponent(btoa('a.mp4'))},l-end`,
  ],
  [
    'writes a subtitle layer as l-subtitles',
    [{ overlay: { type: 'subtitle', input: 's.srt' } }],
    'l-subtitles,i-s.srt,l-end',
  ],
  [
    'writes a solid colour layer on the canvas',
    [{ overlay: { type: 'solidColor', color: 'FF0000' } }],
    'l-image,i-ik_canvas,bg-FF0000,l-end',
  ],
  [
    'writes layer mode, position, timing and steps in ImageKit order',
    [
      {
        overlay: {
          type: 'image',
          input: 'a.png',
          layerMode: 'multiply',
          position: { focus: 'center', anchorPoint: 'top', x: 1, y: 2, xCenter: 3, yCenter: 4 },
          timing: { duration: 3, start: 1, end: 4 },
          transformation: [{ width: 50 }, { radius: 5 }],
        },
      },
    ],
    'l-image,i-a.png,lm-multiply,lx-1,ly-2,lxc-3,lyc-4,lap-top,lfo-center,lso-1,leo-4,ldu-3,w-50:r-5,l-end',
  ],
  [
    'leaves out a position of 0, as ImageKit does',
    [{ overlay: { type: 'image', input: 'a.png', position: { x: 0 } } }],
    'l-image,i-a.png,l-end',
  ],
  ['leaves out a layer without its input', [{ width: 10, overlay: { type: 'image' } }], 'w-10'],
]

describe('buildTransformationString', () => {
  it.each(OFFICIAL)('%s (official)', (_name, input, expected) => {
    expect(buildTransformationString(input)).toBe(expected)
  })

  it.each(RULES)('%s', (_name, input, expected) => {
    expect(buildTransformationString(input as Transformation[])).toBe(expected)
  })
})
