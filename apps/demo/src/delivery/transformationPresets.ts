import type { Transformation } from '@ik-upload/react'

/**
 * The gallery's transformation picker: named steps within what the local server renders (w, h,
 * ar, c, cm, fo, q, f, bl, r, bg). `IKImage` adds its width step (`w-<n>,c-at_max`) after them.
 */
export const TRANSFORMATION_PRESETS: Readonly<Record<string, Transformation[]>> = {
  'As uploaded': [],
  'Square, centre crop': [{ aspectRatio: '1-1', height: 600, crop: 'maintain_ratio', focus: 'center' }],
  'Padded to 16:9': [{ aspectRatio: '16-9', height: 450, cropMode: 'pad_resize', background: 'E8EBF0' }],
  Blurred: [{ blur: 12 }],
  'Rounded corners': [{ radius: 48 }],
  'WebP at quality 40': [{ format: 'webp', quality: 40 }],
  'Chained: crop, then blur': [{ width: 600, height: 400, crop: 'force' }, { blur: 6 }],
}
