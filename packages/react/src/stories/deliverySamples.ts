/**
 * Files the mock delivers without an upload, for the IKImage and IKVideo stories (served by
 * `@ik-upload/msw`'s `deliveryHandlers`, which return the bytes as they are whatever the
 * transformation: an SVG, so the picture stays sharp at every width the srcSet asks for).
 */
import type { DeliveryFile } from '@ik-upload/msw'

/** A landscape picture, 1600 × 1000. */
export const SAMPLE_IMAGE = '/samples/landscape.svg'
/** A stand-in video: the mock has no encoder, so it is a few bytes the browser cannot play (the poster shows). */
export const SAMPLE_VIDEO = '/samples/clip.mp4'

const svg = (body: string, width: number, height: number): DeliveryFile => ({
  bytes: new TextEncoder().encode(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`,
  ),
  mime: 'image/svg+xml',
})

const LANDSCAPE = svg(
  `<defs><linearGradient id="sky" x2="0" y2="1"><stop offset="0" stop-color="#7cc4ff"/><stop offset="1" stop-color="#fde3c8"/></linearGradient></defs>
<rect width="1600" height="1000" fill="url(#sky)"/><circle cx="1180" cy="300" r="110" fill="#ffd166"/>
<path d="M0 760 L360 420 L640 700 L980 360 L1600 820 V1000 H0Z" fill="#3d5a80"/>
<path d="M0 860 L420 640 L820 880 L1180 660 L1600 900 V1000 H0Z" fill="#293241"/>`,
  1600,
  1000,
)

const POSTER = svg(
  `<rect width="1280" height="720" fill="#293241"/><circle cx="640" cy="360" r="120" fill="#ee6c4d"/>
<path d="M600 290 L720 360 L600 430Z" fill="#fff"/>`,
  1280,
  720,
)

/** By `filePath`; the poster sits where ImageKit serves a video's thumbnail. */
export const DELIVERY_SAMPLES = new Map<string, DeliveryFile>([
  [SAMPLE_IMAGE, LANDSCAPE],
  [SAMPLE_VIDEO, { bytes: new Uint8Array(16), mime: 'video/mp4' }],
  [`${SAMPLE_VIDEO}/ik-thumbnail.jpg`, POSTER],
])
