import { DEV_AUTH_ENDPOINT, DEV_PUBLIC_KEY, uploadHandlers } from '@ik-upload/msw'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { IKContext } from '../IKContext'
import { IKDropzone, type IKDropzoneProps } from '../IKDropzone'

const UPLOAD = 'https://upload.ikupload.test/api/v1/files/upload'
const mock = uploadHandlers({ uploadEndpoint: UPLOAD })
const server = setupServer(...mock.handlers)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  mock.reset()
  vi.restoreAllMocks()
})
afterAll(() => server.close())

function renderZone(props: IKDropzoneProps = {}) {
  render(
    <IKContext publicKey={DEV_PUBLIC_KEY} authenticationEndpoint={DEV_AUTH_ENDPOINT} uploadEndpoint={UPLOAD}>
      <IKDropzone data-testid="zone" {...props} />
    </IKContext>,
  )
  const zone = screen.getByTestId('zone')
  return {
    zone,
    button: screen.getByRole('button', {
      name: typeof props.label === 'string' ? props.label : 'Choose files',
    }),
    input: zone.querySelector('input[type="file"]') as HTMLInputElement,
    live: screen.getByRole('status'),
  }
}

const text = (name = 'notes.txt') => new File(['hello'], name, { type: 'text/plain' })

describe('IKDropzone', () => {
  it('is usable with the keyboard alone: Tab to a real button, Enter or Space opens the picker', async () => {
    const user = userEvent.setup()
    const click = vi.spyOn(HTMLInputElement.prototype, 'click')
    const { button, input, zone, live } = renderZone()
    // The input is out of the tab order: the first stop is the button.
    await user.tab()
    expect(button).toHaveFocus()
    expect(button).toHaveAttribute('type', 'button')
    expect(input).toHaveAttribute('tabindex', '-1')
    expect(input).toHaveAttribute('aria-hidden', 'true')
    await user.keyboard('{Enter}')
    expect(click).toHaveBeenCalledTimes(1)
    await user.keyboard(' ')
    expect(click).toHaveBeenCalledTimes(2)
    // The picker's answer, as the browser delivers it to the input.
    await user.upload(input, text())
    await waitFor(() => expect(zone).toHaveAttribute('data-status', 'success'))
    expect(live).toHaveTextContent('1 file uploaded.')
    expect(live).toHaveAttribute('aria-live', 'polite')
    expect(mock.requests).toHaveLength(1)
  })

  it('clears the input before opening the picker, so the same file can be picked again', async () => {
    const { button, input } = renderZone()
    const cleared: string[] = []
    vi.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (this: HTMLInputElement) {
      cleared.push(this.value)
    })
    await userEvent.upload(input, text())
    await userEvent.click(button)
    expect(cleared).toEqual([''])
  })

  it('takes pasted files, from the keyboard', async () => {
    const { button, zone } = renderZone()
    button.focus()
    fireEvent.paste(button, { clipboardData: { files: [text('pasted.txt')], types: ['Files'] } })
    await waitFor(() => expect(zone).toHaveAttribute('data-status', 'success'))
    expect(mock.requests[0]?.file?.name).toBe('pasted.txt')
  })

  it('takes dropped files, and shows the drag state as data-drop-target', async () => {
    const onSuccess = vi.fn()
    const { zone } = renderZone({ onSuccess })
    const dataTransfer = { files: [text('a.txt'), text('b.txt')], types: ['Files'] }
    fireEvent.dragEnter(zone, { dataTransfer })
    expect(zone).toHaveAttribute('data-drop-target', 'true')
    // Without preventDefault on dragover the browser would refuse the drop: fireEvent answers false.
    expect(fireEvent.dragOver(zone, { dataTransfer })).toBe(false)
    // Moving onto a child (enter on the child, then leave from the zone) is not leaving the zone.
    const button = zone.querySelector('button') as HTMLButtonElement
    fireEvent.dragEnter(button, { dataTransfer })
    fireEvent.dragLeave(zone, { dataTransfer })
    expect(zone).toHaveAttribute('data-drop-target', 'true')
    fireEvent.dragLeave(button, { dataTransfer })
    expect(zone).not.toHaveAttribute('data-drop-target')
    fireEvent.dragEnter(zone, { dataTransfer })
    fireEvent.drop(zone, { dataTransfer })
    expect(zone).not.toHaveAttribute('data-drop-target')
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(2))
  })

  it('keeps only the first file when multiple is false', async () => {
    const onSuccess = vi.fn()
    const { zone, input } = renderZone({ multiple: false, onSuccess })
    expect(input).not.toHaveAttribute('multiple')
    fireEvent.drop(zone, { dataTransfer: { files: [text('a.txt'), text('b.txt')] } })
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(mock.requests.map((request) => request.file?.name)).toEqual(['a.txt'])
  })

  it('announces progress, then successes and failures, and sets aria-busy while uploading', async () => {
    mock.pause()
    mock.failNext(1, 400)
    const { zone, live } = renderZone({ concurrency: 1 })
    fireEvent.drop(zone, { dataTransfer: { files: [text('bad.txt'), text('good.txt')] } })
    await waitFor(() => expect(live).toHaveTextContent('Uploading 2 files, 0% done.'))
    expect(zone).toHaveAttribute('aria-busy', 'true')
    expect(zone).toHaveAttribute('data-status', 'uploading')
    mock.resume()
    await waitFor(() =>
      expect(live).toHaveTextContent(
        '1 file uploaded. 1 file failed: The service is temporarily unavailable.',
      ),
    )
    expect(zone).not.toHaveAttribute('aria-busy')
    expect(zone).toHaveAttribute('data-status', 'error')
  })

  it('is inert when disabled', async () => {
    const { zone, button, input } = renderZone({ disabled: true })
    expect(button).toBeDisabled()
    expect(input).toBeDisabled()
    expect(zone).toHaveAttribute('data-disabled', 'true')
    fireEvent.drop(zone, { dataTransfer: { files: [text()] } })
    fireEvent.paste(zone, { clipboardData: { files: [text()] } })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(mock.requests).toHaveLength(0)
  })

  it('runs the user handlers first; preventDefault in them keeps the drop', async () => {
    const onDrop = vi.fn((event: React.DragEvent) => event.preventDefault())
    const { zone } = renderZone({ onDrop })
    fireEvent.drop(zone, { dataTransfer: { files: [text()] } })
    expect(onDrop).toHaveBeenCalledTimes(1)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(mock.requests).toHaveLength(0)
  })

  it('renders children as a function of the upload state, and its own label', async () => {
    renderZone({
      label: 'Add photos',
      children: ({ items, retry }) => (
        <ul>
          {items.map((item) => (
            <li key={item.id} data-testid="item" data-status={item.status}>
              {item.file.name}
              <button type="button" onClick={() => retry(item.id)}>
                Retry
              </button>
            </li>
          ))}
        </ul>
      ),
    })
    const zone = screen.getByTestId('zone')
    expect(screen.getByRole('button', { name: 'Add photos' })).toBeInTheDocument()
    fireEvent.drop(zone, { dataTransfer: { files: [text('x.txt')] } })
    await waitFor(() => expect(screen.getByTestId('item')).toHaveAttribute('data-status', 'success'))
    expect(screen.getByTestId('item')).toHaveTextContent('x.txt')
  })

  it('passes only valid attributes to the DOM', () => {
    const warn = vi.spyOn(console, 'error')
    const { zone } = renderZone({
      folder: '/x',
      tags: ['a'],
      onSuccess: () => {},
      maxFiles: 3,
      accept: 'image/*',
      className: 'zone',
    })
    expect([...zone.attributes].map((attribute) => attribute.name).sort()).toEqual([
      'class',
      'data-status',
      'data-testid',
    ])
    expect(zone.querySelector('input')).toHaveAttribute('accept', 'image/*')
    expect(warn).not.toHaveBeenCalled()
  })
})
