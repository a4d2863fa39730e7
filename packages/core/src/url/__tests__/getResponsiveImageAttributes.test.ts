import { describe, expect, it } from 'vitest'
import { type GetImageAttributesOptions, getResponsiveImageAttributes } from '../getResponsiveImageAttributes'

/**
 * Input → output pairs of ImageKit's own SDK: every case of @imagekit/javascript 5.3.0's
 * `test/responsive.js` (github.com/imagekit-developer/imagekit-javascript), names as there.
 */
const OFFICIAL: ReadonlyArray<[name: string, input: GetImageAttributesOptions, expected: object]> = [
  [
    'bare minimum input',
    { src: 'sample.jpg', urlEndpoint: 'https://ik.imagekit.io/demo' },
    {
      src: 'https://ik.imagekit.io/demo/sample.jpg?tr=w-3840,c-at_max',
      srcSet:
        'https://ik.imagekit.io/demo/sample.jpg?tr=w-640,c-at_max 640w, https://ik.imagekit.io/demo/sample.jpg?tr=w-750,c-at_max 750w, https://ik.imagekit.io/demo/sample.jpg?tr=w-828,c-at_max 828w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1080,c-at_max 1080w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1200,c-at_max 1200w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1920,c-at_max 1920w, https://ik.imagekit.io/demo/sample.jpg?tr=w-2048,c-at_max 2048w, https://ik.imagekit.io/demo/sample.jpg?tr=w-3840,c-at_max 3840w',
      sizes: '100vw',
    },
  ],
  [
    'sizes provided (100vw)',
    { src: 'sample.jpg', urlEndpoint: 'https://ik.imagekit.io/demo', sizes: '100vw' },
    {
      src: 'https://ik.imagekit.io/demo/sample.jpg?tr=w-3840,c-at_max',
      srcSet:
        'https://ik.imagekit.io/demo/sample.jpg?tr=w-640,c-at_max 640w, https://ik.imagekit.io/demo/sample.jpg?tr=w-750,c-at_max 750w, https://ik.imagekit.io/demo/sample.jpg?tr=w-828,c-at_max 828w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1080,c-at_max 1080w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1200,c-at_max 1200w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1920,c-at_max 1920w, https://ik.imagekit.io/demo/sample.jpg?tr=w-2048,c-at_max 2048w, https://ik.imagekit.io/demo/sample.jpg?tr=w-3840,c-at_max 3840w',
      sizes: '100vw',
    },
  ],
  [
    'width only – DPR strategy',
    { src: 'sample.jpg', urlEndpoint: 'https://ik.imagekit.io/demo', width: 400 },
    {
      src: 'https://ik.imagekit.io/demo/sample.jpg?tr=w-828,c-at_max',
      srcSet:
        'https://ik.imagekit.io/demo/sample.jpg?tr=w-640,c-at_max 1x, https://ik.imagekit.io/demo/sample.jpg?tr=w-828,c-at_max 2x',
      width: 400,
    },
  ],
  [
    'custom breakpoints',
    {
      src: 'sample.jpg',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      deviceBreakpoints: [200, 400, 800],
      imageBreakpoints: [100],
    },
    {
      src: 'https://ik.imagekit.io/demo/sample.jpg?tr=w-800,c-at_max',
      srcSet:
        'https://ik.imagekit.io/demo/sample.jpg?tr=w-200,c-at_max 200w, https://ik.imagekit.io/demo/sample.jpg?tr=w-400,c-at_max 400w, https://ik.imagekit.io/demo/sample.jpg?tr=w-800,c-at_max 800w',
      sizes: '100vw',
    },
  ],
  [
    'preserves caller transformations',
    {
      src: 'sample.jpg',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      width: 500,
      transformation: [{ height: 300 }],
    },
    {
      src: 'https://ik.imagekit.io/demo/sample.jpg?tr=h-300:w-1080,c-at_max',
      srcSet:
        'https://ik.imagekit.io/demo/sample.jpg?tr=h-300:w-640,c-at_max 1x, https://ik.imagekit.io/demo/sample.jpg?tr=h-300:w-1080,c-at_max 2x',
      width: 500,
    },
  ],
  [
    'both sizes and width passed',
    { src: 'sample.jpg', urlEndpoint: 'https://ik.imagekit.io/demo', sizes: '50vw', width: 600 },
    {
      src: 'https://ik.imagekit.io/demo/sample.jpg?tr=w-3840,c-at_max',
      srcSet:
        'https://ik.imagekit.io/demo/sample.jpg?tr=w-384,c-at_max 384w, https://ik.imagekit.io/demo/sample.jpg?tr=w-640,c-at_max 640w, https://ik.imagekit.io/demo/sample.jpg?tr=w-750,c-at_max 750w, https://ik.imagekit.io/demo/sample.jpg?tr=w-828,c-at_max 828w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1080,c-at_max 1080w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1200,c-at_max 1200w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1920,c-at_max 1920w, https://ik.imagekit.io/demo/sample.jpg?tr=w-2048,c-at_max 2048w, https://ik.imagekit.io/demo/sample.jpg?tr=w-3840,c-at_max 3840w',
      sizes: '50vw',
      width: 600,
    },
  ],
  [
    'multiple transformations',
    {
      src: 'sample.jpg',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      width: 450,
      transformation: [{ height: 300 }, { aiRemoveBackground: true }],
    },
    {
      src: 'https://ik.imagekit.io/demo/sample.jpg?tr=h-300:e-bgremove:w-1080,c-at_max',
      srcSet:
        'https://ik.imagekit.io/demo/sample.jpg?tr=h-300:e-bgremove:w-640,c-at_max 1x, https://ik.imagekit.io/demo/sample.jpg?tr=h-300:e-bgremove:w-1080,c-at_max 2x',
      width: 450,
    },
  ],
  [
    'sizes causes breakpoint pruning (33vw path)',
    {
      src: 'sample.jpg',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      sizes: '(min-width: 800px) 33vw, 100vw',
    },
    {
      src: 'https://ik.imagekit.io/demo/sample.jpg?tr=w-3840,c-at_max',
      srcSet:
        'https://ik.imagekit.io/demo/sample.jpg?tr=w-256,c-at_max 256w, https://ik.imagekit.io/demo/sample.jpg?tr=w-384,c-at_max 384w, https://ik.imagekit.io/demo/sample.jpg?tr=w-640,c-at_max 640w, https://ik.imagekit.io/demo/sample.jpg?tr=w-750,c-at_max 750w, https://ik.imagekit.io/demo/sample.jpg?tr=w-828,c-at_max 828w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1080,c-at_max 1080w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1200,c-at_max 1200w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1920,c-at_max 1920w, https://ik.imagekit.io/demo/sample.jpg?tr=w-2048,c-at_max 2048w, https://ik.imagekit.io/demo/sample.jpg?tr=w-3840,c-at_max 3840w',
      sizes: '(min-width: 800px) 33vw, 100vw',
    },
  ],
  [
    'Using queryParameters and transformationPosition',
    {
      src: 'sample.jpg',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      width: 450,
      transformation: [{ height: 300 }, { aiRemoveBackground: true }],
      queryParameters: { key: 'value' },
      transformationPosition: 'path',
    },
    {
      src: 'https://ik.imagekit.io/demo/tr:h-300:e-bgremove:w-1080,c-at_max/sample.jpg?key=value',
      srcSet:
        'https://ik.imagekit.io/demo/tr:h-300:e-bgremove:w-640,c-at_max/sample.jpg?key=value 1x, https://ik.imagekit.io/demo/tr:h-300:e-bgremove:w-1080,c-at_max/sample.jpg?key=value 2x',
      width: 450,
    },
  ],
  [
    'fallback when no usable vw tokens',
    { src: 'sample.jpg', urlEndpoint: 'https://ik.imagekit.io/demo', sizes: '100%' },
    {
      src: 'https://ik.imagekit.io/demo/sample.jpg?tr=w-3840,c-at_max',
      srcSet:
        'https://ik.imagekit.io/demo/sample.jpg?tr=w-16,c-at_max 16w, https://ik.imagekit.io/demo/sample.jpg?tr=w-32,c-at_max 32w, https://ik.imagekit.io/demo/sample.jpg?tr=w-48,c-at_max 48w, https://ik.imagekit.io/demo/sample.jpg?tr=w-64,c-at_max 64w, https://ik.imagekit.io/demo/sample.jpg?tr=w-96,c-at_max 96w, https://ik.imagekit.io/demo/sample.jpg?tr=w-128,c-at_max 128w, https://ik.imagekit.io/demo/sample.jpg?tr=w-256,c-at_max 256w, https://ik.imagekit.io/demo/sample.jpg?tr=w-384,c-at_max 384w, https://ik.imagekit.io/demo/sample.jpg?tr=w-640,c-at_max 640w, https://ik.imagekit.io/demo/sample.jpg?tr=w-750,c-at_max 750w, https://ik.imagekit.io/demo/sample.jpg?tr=w-828,c-at_max 828w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1080,c-at_max 1080w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1200,c-at_max 1200w, https://ik.imagekit.io/demo/sample.jpg?tr=w-1920,c-at_max 1920w, https://ik.imagekit.io/demo/sample.jpg?tr=w-2048,c-at_max 2048w, https://ik.imagekit.io/demo/sample.jpg?tr=w-3840,c-at_max 3840w',
      sizes: '100%',
    },
  ],
]

describe('getResponsiveImageAttributes', () => {
  it.each(OFFICIAL)('%s (official)', (_name, input, expected) => {
    expect(getResponsiveImageAttributes(input)).toEqual(expected)
  })

  it('writes spaces in srcSet URLs as %20, since a space ends a srcset candidate', () => {
    const { srcSet } = getResponsiveImageAttributes({
      src: '/a.jpg',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      width: 100,
      transformation: [{ aiEdit: 'prompt-make it blue' }],
    })
    expect(srcSet).toBe(
      'https://ik.imagekit.io/demo/a.jpg?tr=e-edit-prompt-make%20it%20blue:w-128,c-at_max 1x, ' +
        'https://ik.imagekit.io/demo/a.jpg?tr=e-edit-prompt-make%20it%20blue:w-256,c-at_max 2x',
    )
  })

  it('takes the widest breakpoint for a width beyond every breakpoint', () => {
    const { srcSet } = getResponsiveImageAttributes({
      src: '/a.jpg',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      width: 5000,
    })
    expect(srcSet).toBe('https://ik.imagekit.io/demo/a.jpg?tr=w-3840,c-at_max 1x')
  })

  it('does not sort the breakpoint lists it is given in place', () => {
    const deviceBreakpoints = [800, 400]
    getResponsiveImageAttributes({ src: '/a.jpg', urlEndpoint: 'https://x.example', deviceBreakpoints })
    expect(deviceBreakpoints).toEqual([800, 400])
  })
})
