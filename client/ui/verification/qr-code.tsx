// A QR code drawn as SVG rectangles from qrcode-generator's module matrix (no innerHTML).

import { createMemo, For } from 'solid-js'
import { qrModules } from './qr-modules.ts'

export function QrCode(props: { text: string; label: string; pixels?: number }) {
  const modules = createMemo(() => qrModules(props.text))
  const quiet = 4
  return (
    <svg
      role='img'
      aria-label={props.label}
      data-testid='qr-code'
      width={props.pixels ?? 200}
      height={props.pixels ?? 200}
      viewBox={`${-quiet} ${-quiet} ${modules().size + 2 * quiet} ${modules().size + 2 * quiet}`}
      shape-rendering='crispEdges'
      class='qr'
    >
      <rect
        x={-quiet}
        y={-quiet}
        width={modules().size + 2 * quiet}
        height={modules().size + 2 * quiet}
        fill='#fff'
      />
      <For each={modules().dark}>{([x, y]) => <rect x={x} y={y} width='1' height='1' />}</For>
    </svg>
  )
}
