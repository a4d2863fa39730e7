import { describe, expect, it } from 'vitest'
import { buildSrc } from '../buildSrc'
import type { SrcOptions } from '../Transformation'

/**
 * Input → output pairs of ImageKit's own SDK: every `buildSrc(...)` call of @imagekit/javascript
 * 5.3.0's tests, `test/url-generation/basic.js` and `test/url-generation/overlay.js`
 * (github.com/imagekit-developer/imagekit-javascript), with the URL each test expects. The names are
 * those tests' names. Inputs are as written there, including keys the types do not know.
 */
const OFFICIAL: ReadonlyArray<[name: string, input: unknown, expected: string]> = [
  [
    'should return an empty string when src is not provided',
    { urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint', transformationPosition: 'query' },
    '',
  ],
  [
    'should return an empty string when src is /',
    { urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint', transformationPosition: 'query', src: '/' },
    'https://ik.imagekit.io/test_url_endpoint/',
  ],
  [
    'should return an empty string when src is invalid',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: 'https://',
    },
    '',
  ],
  [
    'should generate a valid URL when src is provided without transformation',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg',
  ],
  [
    'should generate a valid URL when a src is provided without transformation',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: 'https://ik.imagekit.io/test_url_endpoint/test_path_alt.jpg',
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path_alt.jpg',
  ],
  [
    'should generate a valid URL when undefined transformation parameters are provided with path',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/test_path_alt.jpg',
      transformationPosition: 'query',
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path_alt.jpg',
  ],
  [
    'By default transformationPosition should be query',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/test_path.jpg',
      transformation: [{ height: '300', width: '400' }, { rotation: 90 }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400:rt-90',
  ],
  [
    'should generate the URL without sdk version',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/test_path.jpg',
      transformation: [{ height: '300', width: '400' }],
      transformationPosition: 'path',
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:h-300,w-400/test_path.jpg',
  ],
  [
    'should generate the correct URL with a valid src and transformation',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [{ height: '300', width: '400' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400',
  ],
  [
    'should generate the correct URL when the provided path contains multiple leading slashes',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '///test_path.jpg',
      transformation: [{ height: '300', width: '400' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400',
  ],
  [
    'should generate the correct URL when the urlEndpoint is overridden',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint_alt',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [{ height: '300', width: '400' }],
    },
    'https://ik.imagekit.io/test_url_endpoint_alt/test_path.jpg?tr=h-300,w-400',
  ],
  [
    'should generate the correct URL with transformationPosition as query parameter when src is provided',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/test_path.jpg',
      transformationPosition: 'query',
      transformation: [{ height: '300', width: '400' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400',
  ],
  [
    'should generate the correct URL with a valid src parameter and transformation',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: 'https://ik.imagekit.io/test_url_endpoint/test_path_alt.jpg',
      transformation: [{ height: '300', width: '400' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path_alt.jpg?tr=h-300,w-400',
  ],
  [
    'should generate the correct URL with transformationPosition as query parameter when src is provided',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: 'https://ik.imagekit.io/test_url_endpoint/test_path_alt.jpg',
      transformationPosition: 'query',
      transformation: [{ height: '300', width: '400' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path_alt.jpg?tr=h-300,w-400',
  ],
  [
    'should merge query parameters correctly in the generated URL',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: 'https://ik.imagekit.io/test_url_endpoint/test_path_alt.jpg?t1=v1',
      queryParameters: { t2: 'v2', t3: 'v3' },
      transformation: [{ height: '300', width: '400' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path_alt.jpg?t1=v1&t2=v2&t3=v3&tr=h-300,w-400',
  ],
  [
    'should generate the correct URL with chained transformations',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [{ height: '300', width: '400' }, { rt: '90' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400:rt-90',
  ],
  [
    'should generate the correct URL with chained transformations including a new undocumented transformation parameter',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [{ height: '300', width: '400' }, { rndm_trnsf: 'abcd' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400:rndm_trnsf-abcd',
  ],
  [
    'should generate the correct URL when overlay image transformation is provided',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [{ height: '300', width: '400', raw: 'l-image,i-overlay.jpg,w-100,b-10_CDDC39,l-end' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400,l-image,i-overlay.jpg,w-100,b-10_CDDC39,l-end',
  ],
  [
    'should generate the correct URL when overlay image transformation contains a slash in the overlay path',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [
        { height: '300', width: '400', raw: 'l-image,i-/path/to/overlay.jpg,w-100,b-10_CDDC39,l-end' },
      ],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400,l-image,i-/path/to/overlay.jpg,w-100,b-10_CDDC39,l-end',
  ],
  [
    'should generate the correct URL when border transformation is applied',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [{ height: '300', width: '400', border: '20_FF0000' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400,b-20_FF0000',
  ],
  [
    'should generate the correct URL when transformation has empty key and value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [{ '': '' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg',
  ],
  [
    'should generate the correct URL when an undefined transform is provided',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [{ 'undefined-transform': 'true' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=undefined-transform-true',
  ],
  [
    'should generate the correct URL when transformation key has an empty value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [{ defaultImage: '' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=di-',
  ],
  [
    "should generate the correct URL when transformation key has '-' as its value",
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [{ contrastStretch: '-' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=e-contrast',
  ],
  [
    'should skip transformation parameters that are undefined or null',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ defaultImage: '/test_path.jpg', contrastStretch: null }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=di-test_path.jpg',
  ],
  [
    'should skip transformation parameters that are false',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ defaultImage: '/test_path.jpg', contrastStretch: false }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=di-test_path.jpg',
  ],
  [
    'should include only the key when transformation value is an empty string',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ defaultImage: '/test_path.jpg', shadow: '' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=di-test_path.jpg,e-shadow',
  ],
  [
    'should include both key and value when transformation parameter value is provided',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ defaultImage: '/test_path.jpg', shadow: 'bl-15_st-40_x-10_y-N5' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=di-test_path.jpg,e-shadow-bl-15_st-40_x-10_y-N5',
  ],
  [
    'should generate the correct URL when trim transformation is set to true as a boolean',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ defaultImage: '/test_path.jpg', trim: true }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=di-test_path.jpg,t-true',
  ],
  [
    'should generate the correct URL when trim transformation is set to true as a string',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ defaultImage: '/test_path.jpg', trim: 'true' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=di-test_path.jpg,t-true',
  ],
  [
    'should generate the correct URL for AI background removal when set to true',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aiRemoveBackground: true }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-bgremove',
  ],
  [
    "should generate the correct URL for AI background removal when 'true' is provided as a string",
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aiRemoveBackground: 'true' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-bgremove',
  ],
  [
    'should not apply AI background removal when value is not true',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aiRemoveBackground: 'false' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg',
  ],
  [
    'should generate the correct URL for external AI background removal when set to true',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aiRemoveBackgroundExternal: true }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-removedotbg',
  ],
  [
    "should generate the correct URL for external AI background removal when 'true' is provided as a string",
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aiRemoveBackgroundExternal: 'true' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-removedotbg',
  ],
  [
    'should not apply external AI background removal when value is not true',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aiRemoveBackgroundExternal: 'false' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg',
  ],
  [
    'should generate the correct URL when gradient transformation is provided as a string',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ gradient: 'ld-top_from-green_to-00FF0010_sp-1' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-gradient-ld-top_from-green_to-00FF0010_sp-1',
  ],
  [
    'should generate the correct URL when gradient transformation is provided as an empty string',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ gradient: '' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-gradient',
  ],
  [
    'should generate the correct URL when gradient transformation is set to true',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ gradient: true }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-gradient',
  ],
  [
    'should generate the correct URL when AI drop shadow transformation is set to true',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aiDropShadow: true }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-dropshadow',
  ],
  [
    'should generate the correct URL when AI drop shadow transformation is provided as an empty string',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aiDropShadow: '' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-dropshadow',
  ],
  [
    'should generate the correct URL when AI drop shadow transformation is provided with a specific string value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aiDropShadow: 'az-45' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-dropshadow-az-45',
  ],
  [
    'should generate the correct URL when shadow transformation is set to true',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ shadow: true }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-shadow',
  ],
  [
    'should generate the correct URL when shadow transformation is provided as an empty string',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ shadow: '' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-shadow',
  ],
  [
    'should generate the correct URL when shadow transformation is provided with a specific string value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ shadow: 'bl-15_st-40_x-10_y-N5' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-shadow-bl-15_st-40_x-10_y-N5',
  ],
  [
    'should generate the correct URL when sharpen transformation is set to true',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ sharpen: true }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-sharpen',
  ],
  [
    'should generate the correct URL when sharpen transformation is provided as an empty string',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ sharpen: '' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-sharpen',
  ],
  [
    'should generate the correct URL when sharpen transformation is provided with a number value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ sharpen: 10 }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-sharpen-10',
  ],
  [
    'should generate the correct URL when unsharpMask transformation is set to true',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ unsharpMask: true }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-usm',
  ],
  [
    'should generate the correct URL when unsharpMask transformation is provided as an empty string',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ unsharpMask: '' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-usm',
  ],
  [
    'should generate the correct URL when unsharpMask transformation is provided with a string value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ unsharpMask: '2-2-0.8-0.024' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=e-usm-2-2-0.8-0.024',
  ],
  [
    'should generate the correct URL for trim transformation when set to true (boolean)',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ trim: true }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=t-true',
  ],
  [
    'should generate the correct URL for trim transformation when provided as an empty string',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ trim: '' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=t-true',
  ],
  [
    'should generate the correct URL for trim transformation when provided with a number value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ trim: 5 }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=t-5',
  ],
  [
    'should generate the correct URL for width transformation when provided with a number value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ width: 400 }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=w-400',
  ],
  [
    'should generate the correct URL for width transformation when provided with a string value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ width: '400' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=w-400',
  ],
  [
    'should generate the correct URL for width transformation when provided with an arithmetic expression',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ width: 'iw_div_2' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=w-iw_div_2',
  ],
  [
    'should generate the correct URL for height transformation when provided with a number value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ height: 300 }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=h-300',
  ],
  [
    'should generate the correct URL for height transformation when provided with a string value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ height: '300' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=h-300',
  ],
  [
    'should generate the correct URL for height transformation when provided with an arithmetic expression',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ height: 'ih_mul_0.5' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=h-ih_mul_0.5',
  ],
  [
    'should generate the correct URL for aspectRatio transformation when provided with a string value in colon format',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aspectRatio: '4:3' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=ar-4:3',
  ],
  [
    'should generate the correct URL for aspectRatio transformation when provided with an alternate underscore format',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aspectRatio: '4_3' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=ar-4_3',
  ],
  [
    'should generate the correct URL for aspectRatio transformation when provided with an arithmetic expression',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ aspectRatio: 'iar_div_2' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=ar-iar_div_2',
  ],
  [
    'should generate the correct URL for background transformation when provided with a solid color',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ background: 'FF0000' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=bg-FF0000',
  ],
  [
    'should generate the correct URL for background transformation when provided with the blurred option',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ background: 'blurred' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=bg-blurred',
  ],
  [
    'should generate the correct URL for background transformation when provided with the genfill option',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ background: 'genfill' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=bg-genfill',
  ],
  [
    'should generate the correct URL for crop transformation when provided with force value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ crop: 'force' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=c-force',
  ],
  [
    'should generate the correct URL for crop transformation when provided with at_max value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ crop: 'at_max' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=c-at_max',
  ],
  [
    'should generate the correct URL for cropMode transformation when provided with pad_resize',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ cropMode: 'pad_resize' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=cm-pad_resize',
  ],
  [
    'should generate the correct URL for cropMode transformation when provided with extract value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ cropMode: 'extract' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=cm-extract',
  ],
  [
    'should generate the correct URL for focus transformation when provided with a string value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ focus: 'center' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=fo-center',
  ],
  [
    'should generate the correct URL for focus transformation when face detection is specified',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ focus: 'face' }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=fo-face',
  ],
  [
    'should generate the correct URL for quality transformation when provided with a number value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ quality: 80 }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=q-80',
  ],
  [
    'should generate the correct URL for x coordinate transformation when provided with a number value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ x: 10 }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=x-10',
  ],
  [
    'should generate the correct URL for y coordinate transformation when provided with a number value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ y: 20 }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=y-20',
  ],
  [
    'should generate the correct URL for xCenter transformation when provided with a number value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ xCenter: 30 }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=xc-30',
  ],
  [
    'should generate the correct URL for yCenter transformation when provided with a number value',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path1.jpg',
      transformation: [{ yCenter: 40 }],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path1.jpg?tr=yc-40',
  ],
  [
    'Including deprecated properties',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [
        {
          height: 300,
          width: 400,
          aspectRatio: '4-3',
          quality: 40,
          crop: 'force',
          cropMode: 'extract',
          focus: 'left',
          format: 'jpeg',
          radius: 50,
          bg: 'A94D34',
          border: '5-A94D34',
          rotation: 90,
          blur: 10,
          named: 'some_name',
          progressive: true,
          lossless: true,
          trim: 5,
          metadata: true,
          colorProfile: true,
          defaultImage: '/folder/file.jpg/',
          dpr: 3,
          sharpen: 10,
          unsharpMask: '2-2-0.8-0.024',
          contrastStretch: true,
          grayscale: true,
          shadow: 'bl-15_st-40_x-10_y-N5',
          gradient: 'from-red_to-white',
          original: true,
          raw: 'h-200,w-300,l-image,i-logo.png,l-end',
        },
      ],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400,ar-4-3,q-40,c-force,cm-extract,fo-left,f-jpeg,r-50,bg-A94D34,b-5-A94D34,rt-90,bl-10,n-some_name,pr-true,lo-true,t-5,md-true,cp-true,di-folder@@file.jpg,dpr-3,e-sharpen-10,e-usm-2-2-0.8-0.024,e-contrast,e-grayscale,e-shadow-bl-15_st-40_x-10_y-N5,e-gradient-from-red_to-white,orig-true,h-200,w-300,l-image,i-logo.png,l-end',
  ],
  [
    'should generate the correct URL with many transformations, including video and AI transforms',
    {
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      transformationPosition: 'query',
      src: '/test_path.jpg',
      transformation: [
        {
          height: 300,
          width: 400,
          aspectRatio: '4-3',
          quality: 40,
          crop: 'force',
          cropMode: 'extract',
          focus: 'left',
          format: 'jpeg',
          radius: 50,
          bg: 'A94D34',
          border: '5-A94D34',
          rotation: 90,
          blur: 10,
          named: 'some_name',
          progressive: true,
          lossless: true,
          trim: 5,
          metadata: true,
          colorProfile: true,
          defaultImage: '/folder/file.jpg/',
          dpr: 3,
          x: 10,
          y: 20,
          xCenter: 30,
          yCenter: 40,
          flip: 'h',
          opacity: 0.8,
          zoom: 2,
          videoCodec: 'h264',
          audioCodec: 'aac',
          startOffset: 5,
          endOffset: 15,
          duration: 10,
          streamingResolutions: ['1440', '1080'],
          grayscale: true,
          aiUpscale: true,
          aiRetouch: true,
          aiVariation: true,
          aiDropShadow: true,
          aiChangeBackground: 'prompt-car',
          aiEdit: 'prompt-make it vintage',
          aiRemoveBackground: true,
          contrastStretch: true,
          shadow: 'bl-15_st-40_x-10_y-N5',
          sharpen: 10,
          unsharpMask: '2-2-0.8-0.024',
          gradient: 'from-red_to-white',
          original: true,
          page: '2_4',
          raw: 'h-200,w-300,l-image,i-logo.png,l-end',
          colorReplace: 'FF0000_50_00FF00',
          distort: 'p-50_50_150_50_150_150_50_150',
        },
      ],
    },
    'https://ik.imagekit.io/test_url_endpoint/test_path.jpg?tr=h-300,w-400,ar-4-3,q-40,c-force,cm-extract,fo-left,f-jpeg,r-50,bg-A94D34,b-5-A94D34,rt-90,bl-10,n-some_name,pr-true,lo-true,t-5,md-true,cp-true,di-folder@@file.jpg,dpr-3,x-10,y-20,xc-30,yc-40,fl-h,o-0.8,z-2,vc-h264,ac-aac,so-5,eo-15,du-10,sr-1440_1080,e-grayscale,e-upscale,e-retouch,e-genvar,e-dropshadow,e-changebg-prompt-car,e-edit-prompt-make it vintage,e-bgremove,e-contrast,e-shadow-bl-15_st-40_x-10_y-N5,e-sharpen-10,e-usm-2-2-0.8-0.024,e-gradient-from-red_to-white,orig-true,pg-2_4,h-200,w-300,l-image,i-logo.png,l-end,cr-FF0000_50_00FF00,e-distort-p-50_50_150_50_150_150_50_150',
  ],
]

/**
 * The rest of those tests: every `buildSrc` call of `test/url-generation/overlay.js`. Layers
 * (`overlay`) are not supported here (see the README's "Showing files"): each case's `overlay` keys
 * are left out of the URL, and the layer, written as ImageKit's SDK writes it, goes in through `raw`.
 */
const OFFICIAL_OVERLAYS: ReadonlyArray<[name: string, input: unknown, expected: string]> = [
  [
    'Ignore invalid values if text is missing',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'text' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/base-image.jpg',
  ],
  [
    'Ignore if type is missing',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: {} }],
    },
    'https://ik.imagekit.io/test_url_endpoint/base-image.jpg',
  ],
  [
    'Ignore invalid values if input (image)',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'image' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/base-image.jpg',
  ],
  [
    'Ignore invalid values if input (video)',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'video' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/base-image.jpg',
  ],
  [
    'Ignore invalid values if input (subtitle)',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'subtitle' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/base-image.jpg',
  ],
  [
    'Ignore invalid values if color is missing (solidColor)',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'solidColor' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/base-image.jpg',
  ],
  [
    'Text overlay generates correct URL with encoded overlay text',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'text', text: 'Minimal Text' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-text,i-Minimal%20Text,l-end/base-image.jpg',
  ],
  [
    'Image overlay generates correct URL with input logo.png',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'image', input: 'logo.png' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-image,i-logo.png,l-end/base-image.jpg',
  ],
  [
    'Video overlay generates correct URL with input play-pause-loop.mp4',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-video.mp4',
      transformation: [{ overlay: { type: 'video', input: 'play-pause-loop.mp4' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-video,i-play-pause-loop.mp4,l-end/base-video.mp4',
  ],
  [
    'Subtitle overlay generates correct URL with input subtitle.srt',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-video.mp4',
      transformation: [{ overlay: { type: 'subtitle', input: 'subtitle.srt' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-subtitles,i-subtitle.srt,l-end/base-video.mp4',
  ],
  [
    'Solid color overlay generates correct URL with background color FF0000',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'solidColor', color: 'FF0000' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-image,i-ik_canvas,bg-FF0000,l-end/base-image.jpg',
  ],
  [
    'Combined overlay transformations generate correct URL including nested overlays',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [
        {
          overlay: {
            type: 'text',
            text: 'Every thing',
            position: { x: '10', y: '20', focus: 'center' },
            timing: { start: 5, duration: '10', end: 15 },
            transformation: [
              {
                width: 'bw_mul_0.5',
                fontSize: 20,
                fontFamily: 'Arial',
                fontColor: '0000ff',
                innerAlignment: 'left',
                padding: 5,
                alpha: 7,
                typography: 'b',
                background: 'red',
                radius: 10,
                rotation: 'N45',
                flip: 'h',
                lineHeight: 20,
              },
            ],
          },
        },
        {
          overlay: {
            type: 'image',
            input: 'logo.png',
            position: { x: '10', y: '20', focus: 'center' },
            timing: { start: 5, duration: '10', end: 15 },
            transformation: [
              {
                width: 'bw_mul_0.5',
                height: 'bh_mul_0.5',
                rotation: 'N45',
                flip: 'h',
                overlay: { type: 'text', text: 'Nested text overlay' },
              },
            ],
          },
        },
        {
          overlay: {
            type: 'video',
            input: 'play-pause-loop.mp4',
            position: { x: '10', y: '20', focus: 'center' },
            timing: { start: 5, duration: '10', end: 15 },
            transformations: [{ width: 'bw_mul_0.5', height: 'bh_mul_0.5', rotation: 'N45', flip: 'h' }],
          },
        },
        {
          overlay: {
            type: 'subtitle',
            input: 'subtitle.srt',
            position: { x: '10', y: '20', focus: 'center' },
            timing: { start: 5, duration: '10', end: 15 },
            transformations: [{ width: 'bw_mul_0.5', height: 'bh_mul_0.5', rotation: 'N45', flip: 'h' }],
          },
        },
        {
          overlay: {
            type: 'solidColor',
            color: 'FF0000',
            position: { x: '10', y: '20', focus: 'center' },
            timing: { start: 5, duration: '10', end: 15 },
            transformation: [{ width: 'bw_mul_0.5', height: 'bh_mul_0.5', rotation: 'N45', flip: 'h' }],
          },
        },
      ],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-text,i-Every%20thing,lx-10,ly-20,lfo-center,lso-5,leo-15,ldu-10,w-bw_mul_0.5,fs-20,ff-Arial,co-0000ff,ia-left,pa-5,al-7,tg-b,bg-red,r-10,rt-N45,fl-h,lh-20,l-end:l-image,i-logo.png,lx-10,ly-20,lfo-center,lso-5,leo-15,ldu-10,w-bw_mul_0.5,h-bh_mul_0.5,rt-N45,fl-h,l-text,i-Nested%20text%20overlay,l-end,l-end:l-video,i-play-pause-loop.mp4,lx-10,ly-20,lfo-center,lso-5,leo-15,ldu-10,l-end:l-subtitles,i-subtitle.srt,lx-10,ly-20,lfo-center,lso-5,leo-15,ldu-10,l-end:l-image,i-ik_canvas,bg-FF0000,lx-10,ly-20,lfo-center,lso-5,leo-15,ldu-10,w-bw_mul_0.5,h-bh_mul_0.5,rt-N45,fl-h,l-end/base-image.jpg',
  ],
  [
    'Nested simple path, should use i instead of ie, handle slash properly',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/medium_cafe_B1iTdD0C.jpg',
      transformation: [{ overlay: { type: 'image', input: '/customer_logo/nykaa.png' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-image,i-customer_logo@@nykaa.png,l-end/medium_cafe_B1iTdD0C.jpg',
  ],
  [
    'Nested non-simple path, should use ie instead of i',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/medium_cafe_B1iTdD0C.jpg',
      transformation: [{ overlay: { type: 'image', input: '/customer_logo/Ñykaa.png' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-image,ie-Y3VzdG9tZXJfbG9nby9OzIN5a2FhLnBuZw%3D%3D,l-end/medium_cafe_B1iTdD0C.jpg',
  ],
  [
    'Simple text overlay, should use i instead of ie',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/medium_cafe_B1iTdD0C.jpg',
      transformation: [{ overlay: { type: 'text', text: 'Manu' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-text,i-Manu,l-end/medium_cafe_B1iTdD0C.jpg',
  ],
  [
    'Simple text overlay with spaces and other safe characters, should use i instead of ie',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/medium_cafe_B1iTdD0C.jpg',
      transformation: [{ overlay: { type: 'text', text: 'alnum123-._ ' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-text,i-alnum123-._%20,l-end/medium_cafe_B1iTdD0C.jpg',
  ],
  [
    'Non simple text overlay, should use ie instead of i',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/medium_cafe_B1iTdD0C.jpg',
      transformation: [{ overlay: { type: 'text', text: "Let's use ©, ®, ™, etc" } }],
    },
    'https://ik.imagekit.io/demo/tr:l-text,ie-TGV0J3MgdXNlIMKpLCDCriwg4oSiLCBldGM%3D,l-end/medium_cafe_B1iTdD0C.jpg',
  ],
  [
    'Text overlay with explicit plain encoding',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/sample.jpg',
      transformation: [{ overlay: { type: 'text', text: 'HelloWorld', encoding: 'plain' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-text,i-HelloWorld,l-end/sample.jpg',
  ],
  [
    'Text overlay with explicit base64 encoding',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/sample.jpg',
      transformation: [{ overlay: { type: 'text', text: 'HelloWorld', encoding: 'base64' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-text,ie-SGVsbG9Xb3JsZA%3D%3D,l-end/sample.jpg',
  ],
  [
    'Image overlay with explicit plain encoding',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/sample.jpg',
      transformation: [{ overlay: { type: 'image', input: '/customer/logo.png', encoding: 'plain' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-image,i-customer@@logo.png,l-end/sample.jpg',
  ],
  [
    'Image overlay with explicit base64 encoding',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/sample.jpg',
      transformation: [{ overlay: { type: 'image', input: '/customer/logo.png', encoding: 'base64' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-image,ie-Y3VzdG9tZXIvbG9nby5wbmc%3D,l-end/sample.jpg',
  ],
  [
    'Video overlay with explicit base64 encoding',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/sample.mp4',
      transformation: [{ overlay: { type: 'video', input: '/path/to/video.mp4', encoding: 'base64' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-video,ie-cGF0aC90by92aWRlby5tcDQ%3D,l-end/sample.mp4',
  ],
  [
    'Subtitle overlay with explicit plain encoding',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/sample.mp4',
      transformation: [{ overlay: { type: 'subtitle', input: '/sub.srt', encoding: 'plain' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-subtitles,i-sub.srt,l-end/sample.mp4',
  ],
  [
    'Subtitle overlay with explicit base64 encoding',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/sample.mp4',
      transformation: [{ overlay: { type: 'subtitle', input: 'sub.srt', encoding: 'base64' } }],
    },
    'https://ik.imagekit.io/demo/tr:l-subtitles,ie-c3ViLnNydA%3D%3D,l-end/sample.mp4',
  ],
  [
    'Avoid double encoding when transformation string is in query params',
    {
      urlEndpoint: 'https://ik.imagekit.io/demo',
      src: '/sample.jpg',
      transformation: [{ overlay: { type: 'text', text: 'Minimal Text' } }],
      transformationPosition: 'query',
    },
    'https://ik.imagekit.io/demo/sample.jpg?tr=l-text,i-Minimal%20Text,l-end',
  ],
  [
    'should generate correct URL with multiply layer mode',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'image', input: 'overlay-image.jpg', layerMode: 'multiply' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-image,i-overlay-image.jpg,lm-multiply,l-end/base-image.jpg',
  ],
  [
    'should generate correct URL with cutter layer mode',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'image', input: 'overlay-image.jpg', layerMode: 'cutter' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-image,i-overlay-image.jpg,lm-cutter,l-end/base-image.jpg',
  ],
  [
    'should generate correct URL with cutout layer mode',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [{ overlay: { type: 'image', input: 'overlay-image.jpg', layerMode: 'cutout' } }],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-image,i-overlay-image.jpg,lm-cutout,l-end/base-image.jpg',
  ],
  [
    'should generate correct URL with displace layer mode',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [
        {
          overlay: {
            type: 'image',
            input: 'overlay-image.jpg',
            layerMode: 'displace',
            position: { x: 10, y: 10 },
          },
        },
      ],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-image,i-overlay-image.jpg,lm-displace,lx-10,ly-10,l-end/base-image.jpg',
  ],
  [
    'should generate correct URL with xCenter, yCenter and anchorPoint',
    {
      transformationPosition: 'path',
      urlEndpoint: 'https://ik.imagekit.io/test_url_endpoint',
      src: '/base-image.jpg',
      transformation: [
        {
          overlay: {
            type: 'image',
            input: 'overlay-image.jpg',
            position: { xCenter: 100, yCenter: 50, anchorPoint: 'top_left' },
          },
        },
      ],
    },
    'https://ik.imagekit.io/test_url_endpoint/tr:l-image,i-overlay-image.jpg,lxc-100,lyc-50,lap-top_left,l-end/base-image.jpg',
  ],
]

describe('buildSrc: the official SDK table', () => {
  it.each(OFFICIAL)('%s', (_name, input, expected) => {
    expect(buildSrc(input as SrcOptions)).toBe(expected)
  })

  it('holds at least 60 cases', () => {
    expect(OFFICIAL.length).toBeGreaterThanOrEqual(60)
  })
})

/** The URL without its transformation, in either position. */
const withoutTransformation = (url: string) => url.replace(/\/tr:[^/]*|\?tr=.*/, '')
/** The transformation of an official URL, as one `raw` step per chained step. */
const asRaw = (url: string) =>
  (/\/tr:([^/]*)|\?tr=(.*)/.exec(url)?.slice(1).join('') ?? '').split(':').map((raw) => ({ raw }))

describe('buildSrc: not supported: overlay (use raw)', () => {
  it.each(OFFICIAL_OVERLAYS)('%s: the overlay key is left out of the URL', (_name, input, expected) => {
    expect(buildSrc(input as SrcOptions)).toBe(withoutTransformation(expected))
  })

  it.each(OFFICIAL_OVERLAYS)(
    '%s: the same layer through raw gives the official URL',
    (_name, input, expected) => {
      const transformation = expected === withoutTransformation(expected) ? [] : asRaw(expected)
      expect(buildSrc({ ...(input as SrcOptions), transformation })).toBe(expected)
    },
  )
})

const urlEndpoint = 'https://ik.imagekit.io/demo'
const width100 = [{ width: 100 }]

/**
 * Cases the official tests do not cover, worked out by hand from the URL standard and ImageKit's
 * URL rules. Where the official SDK writes a broken URL (a `#` or `&` in a query `tr` value, a
 * `tr` after a `#fragment`), this builder escapes or reorders, and the case says so.
 */
const OURS: ReadonlyArray<[name: string, input: SrcOptions, expected: string]> = [
  [
    'percent-encodes a unicode path as UTF-8',
    { urlEndpoint, src: '/images/café/猫.jpg' },
    'https://ik.imagekit.io/demo/images/caf%C3%A9/%E7%8C%AB.jpg',
  ],
  [
    'percent-encodes spaces in the path',
    { urlEndpoint, src: '/my photos/a b.jpg', transformation: width100 },
    'https://ik.imagekit.io/demo/my%20photos/a%20b.jpg?tr=w-100',
  ],
  [
    'does not encode an already encoded path twice',
    { urlEndpoint, src: '/a%20b.jpg' },
    'https://ik.imagekit.io/demo/a%20b.jpg',
  ],
  [
    'puts a path transformation before a unicode path',
    { urlEndpoint, src: '/猫.jpg', transformation: [{ width: 300 }], transformationPosition: 'path' },
    'https://ik.imagekit.io/demo/tr:w-300/%E7%8C%AB.jpg',
  ],
  [
    'appends tr to the query an absolute URL already has',
    { urlEndpoint, src: 'https://cdn.example.com/a.jpg?v=2', transformation: width100 },
    'https://cdn.example.com/a.jpg?v=2&tr=w-100',
  ],
  [
    'keeps an absolute URL on its own host and puts tr in its query even in path position',
    {
      urlEndpoint,
      src: 'https://cdn.example.com/a.jpg',
      transformation: width100,
      transformationPosition: 'path',
    },
    'https://cdn.example.com/a.jpg?tr=w-100',
  ],
  [
    'keeps an http URL as http',
    { urlEndpoint, src: 'http://cdn.example.com/a.jpg' },
    'http://cdn.example.com/a.jpg',
  ],
  [
    'puts tr before the fragment of an absolute URL (the official SDK appends it after)',
    { urlEndpoint, src: 'https://cdn.example.com/a.jpg#top', transformation: width100 },
    'https://cdn.example.com/a.jpg?tr=w-100#top',
  ],
  [
    'merges an absolute URL query, queryParameters and tr in that order',
    {
      urlEndpoint,
      src: 'https://cdn.example.com/a.jpg?x=1',
      queryParameters: { y: 2 },
      transformation: width100,
    },
    'https://cdn.example.com/a.jpg?x=1&y=2&tr=w-100',
  ],
  [
    'escapes ?, #, &, spaces and unicode in queryParameters values',
    { urlEndpoint, src: '/a.jpg', queryParameters: { q: 'a b?c#d&e', name: 'é' } },
    'https://ik.imagekit.io/demo/a.jpg?q=a+b%3Fc%23d%26e&name=%C3%A9',
  ],
  [
    'puts queryParameters before tr',
    { urlEndpoint, src: '/a.jpg', queryParameters: { v: 3 }, transformation: width100 },
    'https://ik.imagekit.io/demo/a.jpg?v=3&tr=w-100',
  ],
  [
    'keeps a query written in a path src',
    { urlEndpoint, src: '/a.jpg?v=1', transformation: width100 },
    'https://ik.imagekit.io/demo/a.jpg?v=1&tr=w-100',
  ],
  [
    'escapes # and & in a query tr value, which would end it (the official SDK does not)',
    { urlEndpoint, src: '/a.jpg', transformation: [{ raw: 'l-text,i-A#1&B,l-end' }] },
    'https://ik.imagekit.io/demo/a.jpg?tr=l-text,i-A%231%26B,l-end',
  ],
  [
    'leaves ? in a query tr value, where it is legal',
    { urlEndpoint, src: '/a.jpg', transformation: [{ raw: 'i-a?b' }] },
    'https://ik.imagekit.io/demo/a.jpg?tr=i-a?b',
  ],
  [
    'percent-encodes ?, # and spaces of a path-position value',
    { urlEndpoint, src: '/a.jpg', transformation: [{ raw: 'i-a?b#c d' }], transformationPosition: 'path' },
    'https://ik.imagekit.io/demo/tr:i-a%3Fb%23c%20d/a.jpg',
  ],
  [
    'chains three steps with : in the path',
    {
      urlEndpoint,
      src: '/a.jpg',
      transformation: [{ width: 300, height: 200 }, { rotation: 90 }, { raw: 'l-image,i-logo.png,l-end' }],
      transformationPosition: 'path',
    },
    'https://ik.imagekit.io/demo/tr:w-300,h-200:rt-90:l-image,i-logo.png,l-end/a.jpg',
  ],
  [
    'chains steps with : in the query',
    {
      urlEndpoint,
      src: '/a.jpg',
      transformation: [{ width: 300 }, { blur: 10 }, { quality: 50, format: 'webp' }],
    },
    'https://ik.imagekit.io/demo/a.jpg?tr=w-300:bl-10:q-50,f-webp',
  ],
  [
    'joins an endpoint with a trailing slash and a src without a leading one',
    {
      urlEndpoint: 'https://ik.imagekit.io/demo/',
      src: 'a.jpg',
      transformation: width100,
      transformationPosition: 'path',
    },
    'https://ik.imagekit.io/demo/tr:w-100/a.jpg',
  ],
  [
    'keeps the port and the whole path of a local endpoint',
    { urlEndpoint: 'http://127.0.0.1:4010/ik/dev', src: '/a.jpg', transformation: width100 },
    'http://127.0.0.1:4010/ik/dev/a.jpg?tr=w-100',
  ],
  [
    'puts a path transformation first on an endpoint without a path',
    {
      urlEndpoint: 'https://ik.example.com',
      src: '/a.jpg',
      transformation: width100,
      transformationPosition: 'path',
    },
    'https://ik.example.com/tr:w-100/a.jpg',
  ],
  [
    'reads a src of two backslashes as a path, never as another host',
    { urlEndpoint, src: '\\\\evil.example/a.jpg' },
    'https://ik.imagekit.io/demo/evil.example/a.jpg',
  ],
  [
    'reads a protocol-relative src as a path, never as another host',
    { urlEndpoint, src: '//evil.example/a.jpg' },
    'https://ik.imagekit.io/demo/evil.example/a.jpg',
  ],
  ['gives an empty string for a path without an endpoint', { urlEndpoint: '', src: '/a.jpg' }, ''],
  [
    'gives an empty string for a path with an invalid endpoint',
    { urlEndpoint: 'not a url', src: '/a.jpg' },
    '',
  ],
  [
    'leaves tr out for an empty list of steps',
    { urlEndpoint, src: '/a.jpg', transformation: [] },
    'https://ik.imagekit.io/demo/a.jpg',
  ],
  [
    'leaves tr out for steps whose values are all undefined',
    { urlEndpoint, src: '/a.jpg', transformation: [{ width: undefined }, {}] },
    'https://ik.imagekit.io/demo/a.jpg',
  ],
  [
    'renders an upload result filePath straight',
    { urlEndpoint, src: '/avatars/photo_Ab3x-Y9_k.jpg', transformation: [{ named: 'ik_ml_thumbnail' }] },
    'https://ik.imagekit.io/demo/avatars/photo_Ab3x-Y9_k.jpg?tr=n-ik_ml_thumbnail',
  ],
]

describe('buildSrc: paths, queries and escaping', () => {
  it.each(OURS)('%s', (_name, input, expected) => {
    expect(buildSrc(input)).toBe(expected)
  })

  it('does not change the options it is given', () => {
    const options: SrcOptions = { urlEndpoint, src: '/a.jpg', transformation: [{ width: 1 }] }
    const copy = structuredClone(options)
    buildSrc(options)
    expect(options).toEqual(copy)
  })
})
