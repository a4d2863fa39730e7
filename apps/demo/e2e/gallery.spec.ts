import { expect, type Locator, type Response, test } from '@playwright/test'
import sharp from 'sharp'
import { openDemo, shownResponse } from './demoPage'
import { makeJpeg } from './makeJpeg'
import { stack } from './stack'

/** One `srcset` candidate. */
interface Candidate {
  url: string
  /** Its `w` descriptor. */
  width: number
}

/** What the page says about the gallery's main image of a card. */
interface Shown {
  candidates: Candidate[]
  /** The `sizes` value that applies now, in CSS pixels (media conditions and calc() evaluated by the page). */
  slot: number
  dpr: number
  currentSrc: string
}

/** The srcset, the evaluated `sizes` slot and the picked URL of a loaded `<img>`. */
async function shown(img: Locator): Promise<Shown> {
  const { srcset, slot, dpr, currentSrc } = await img.evaluate((element: HTMLImageElement) => {
    // A probe measures each length as the page would (vw, px, calc), under the first matching condition.
    const probe = document.createElement('div')
    probe.style.cssText = 'position:absolute;left:0;top:0;height:0;visibility:hidden'
    document.body.append(probe)
    let width = 0
    for (const entry of element.sizes.split(/,\s*/)) {
      const match = /^(\([^)]*\))\s+(.+)$/.exec(entry)
      if (match?.[1] && !matchMedia(match[1]).matches) continue
      probe.style.width = match?.[2] ?? entry
      width = probe.getBoundingClientRect().width
      break
    }
    probe.remove()
    return { srcset: element.srcset, slot: width, dpr: devicePixelRatio, currentSrc: element.currentSrc }
  })
  const candidates = srcset.split(', ').map((candidate) => {
    const [url = '', descriptor = ''] = candidate.split(' ')
    return { url, width: Number.parseInt(descriptor, 10) }
  })
  return { candidates, slot, dpr, currentSrc }
}

/**
 * The candidate Chromium picks for `w` descriptors: each candidate's density is width / slot; it
 * takes the first candidate whose density reaches the device pixel ratio, or at a ratio above 1
 * the one below it when the ratio is under the two densities' geometric mean (Chromium's
 * html_srcset_parser.cc, SelectionLogic). At a ratio of 1: the narrowest width that fills the slot.
 */
function chromiumPick({ candidates, slot, dpr }: Shown): Candidate {
  const sorted = [...candidates].sort((a, b) => a.width - b.width)
  const density = (candidate: Candidate) => candidate.width / slot
  for (let i = 0; i < sorted.length - 1; i++) {
    const current = sorted[i] as Candidate
    const next = sorted[i + 1] as Candidate
    if (density(next) < dpr) continue
    const pickNext =
      (dpr <= 1 && dpr > density(current)) || dpr >= Math.sqrt(density(current) * density(next))
    return pickNext ? next : current
  }
  return sorted.at(-1) as Candidate
}

const mainImage = (scope: Locator) => scope.locator('img[data-variant="responsive"]')

/** Waits until an image has its bytes. */
const loaded = (img: Locator) =>
  expect
    .poll(() => img.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth > 0))
    .toBe(true)

// Widths where the gallery has 1, 2 and 3 columns, at 1x and 2x: the slot (and so the pick)
// differs for each, and none is the widest candidate, so a browser ignoring srcSet would show.
const VIEWPORTS = [
  { width: 600, deviceScaleFactor: 1 },
  { width: 800, deviceScaleFactor: 1 },
  { width: 1300, deviceScaleFactor: 1 },
  { width: 800, deviceScaleFactor: 2 },
  { width: 1300, deviceScaleFactor: 2 },
]

test('an IKUpload result shown with IKImage: at each viewport the browser fetches the srcSet width the layout needs, and the local server returns an image of that width', async ({
  browser,
  page,
}) => {
  // Wider than every pick below, so c-at_max never caps the width the server renders.
  await openDemo(page, '/')
  await page.getByLabel('Upload a file').setInputFiles(await makeJpeg('panorama.jpg', 2400, 1600))
  await expect(page.getByTestId('response-json')).toContainText('"fileType": "image"')
  const result = await shownResponse(page)
  // The gallery lives in localStorage: each viewport opens a fresh context (an empty image cache)
  // that has it.
  const storageState = await page.context().storageState()
  const base = `${stack().urlEndpoint}${result.filePath}`
  const picked: number[] = []

  for (const { width, deviceScaleFactor } of VIEWPORTS) {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      deviceScaleFactor,
      storageState,
    })
    const view = await context.newPage()
    const delivered: Response[] = []
    view.on('response', (response) => {
      if (response.url().startsWith(base)) delivered.push(response)
    })
    await openDemo(view, '/gallery')
    const card = view.getByTestId('gallery-card').filter({ hasText: String(result.name) })
    const img = mainImage(card)
    await loaded(img)
    const state = await shown(img)
    const at = `${width}px at ${deviceScaleFactor}x (slot ${state.slot}px)`

    // The srcSet: every width from the breakpoints (the sizes use calc(), so none is dropped).
    expect(
      state.candidates.map((candidate) => candidate.width),
      at,
    ).toEqual([16, 32, 48, 64, 96, 128, 256, 384, 640, 750, 828, 1080, 1200, 1920, 2048, 3840])
    for (const candidate of state.candidates)
      expect(candidate.url, at).toBe(`${base}?tr=w-${candidate.width},c-at_max`)

    // The browser took the candidate the srcSet promised for this layout, and only that one.
    const expected = chromiumPick(state)
    expect(state.currentSrc, at).toBe(expected.url)
    const widths = delivered.filter((response) => response.url().includes('c-at_max'))
    expect(
      widths.map((response) => response.url()),
      at,
    ).toEqual([expected.url])

    // The local server rendered that width.
    const response = widths[0] as Response
    expect(response.status(), at).toBe(200)
    const metadata = await sharp(await response.body()).metadata()
    expect(metadata.width, at).toBe(expected.width)
    expect(metadata.height, at).toBe(Math.round((expected.width * 1600) / 2400))
    expect(await card.getByTestId('fetched-url').textContent(), at).toBe(`w-${expected.width},c-at_max`)
    picked.push(expected.width)
    await context.close()
  }
  // The layouts asked for different widths (1, 2 and 3 columns; 1x and 2x).
  expect(new Set(picked).size).toBeGreaterThanOrEqual(3)
})

test('the gallery’s transformation picker shows the URL IKImage builds, and the image is served with it', async ({
  page,
}) => {
  await openDemo(page, '/')
  await page.getByLabel('Upload a file').setInputFiles(await makeJpeg('harbour.jpg', 1200, 800))
  await expect(page.getByTestId('response-json')).toContainText('"fileType": "image"')
  const result = await shownResponse(page)
  await page.getByRole('link', { name: /Gallery/ }).click()
  const card = page.getByTestId('gallery-card').filter({ hasText: String(result.name) })
  const base = `${stack().urlEndpoint}${result.filePath}`
  await expect(card.getByTestId('built-url')).toHaveText(base)

  await page.getByLabel('Transformation').selectOption('Blurred')
  await expect(card.getByTestId('built-url')).toHaveText(`${base}?tr=bl-12`)
  const img = mainImage(card)
  await expect(img).toHaveAttribute('src', `${base}?tr=bl-12:w-3840,c-at_max`)
  await loaded(img)
  expect(await img.evaluate((element: HTMLImageElement) => element.currentSrc)).toMatch(
    /\?tr=bl-12:w-\d+,c-at_max$/,
  )

  await page.getByRole('radio', { name: '/tr:' }).check()
  const inPath = `${stack().urlEndpoint}/tr:bl-12${result.filePath}`
  await expect(card.getByTestId('built-url')).toHaveText(inPath)
  await expect(img).toHaveAttribute(
    'src',
    `${stack().urlEndpoint}/tr:bl-12:w-3840,c-at_max${result.filePath}`,
  )
  await loaded(img)
})

test('a private file’s responsive image loads through URLs the backend signed with signDeliveryUrl', async ({
  page,
  request,
}) => {
  await openDemo(page, '/options')
  await page.getByRole('radiogroup', { name: 'isPrivateFile' }).getByLabel('true', { exact: true }).check()
  await page.getByLabel('Upload with these options').setInputFiles(await makeJpeg('secret.jpg', 900, 600))
  await expect(page.getByTestId('response-json')).toBeVisible()
  const result = await shownResponse(page)
  await page.getByRole('link', { name: /Gallery/ }).click()
  const img = mainImage(page.getByTestId('gallery-card').filter({ hasText: String(result.name) }))
  await loaded(img)
  const currentSrc = await img.evaluate((element: HTMLImageElement) => element.currentSrc)
  expect(currentSrc).toMatch(/\?tr=w-\d+,c-at_max&ik-t=\d+&ik-s=[0-9a-f]{40}$/)
  expect((await request.get(currentSrc)).status()).toBe(200)
  // The signature covers the width: another one is refused.
  expect((await request.get(currentSrc.replace(/w-\d+/, 'w-17'))).status()).toBe(401)
})
