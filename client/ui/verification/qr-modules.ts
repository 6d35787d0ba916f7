// The module matrix of a QR code (qrcode-generator, error correction M), in the densest mode the
// text allows: numeric for digits, alphanumeric for the QR upper-case set, bytes otherwise.

import qrcode from 'qrcode-generator'

export interface QrModules {
  /** Modules per side (21 for version 1, +4 per version). */
  size: number
  /** Dark modules as [column, row]. */
  dark: [number, number][]
}

/** QR alphanumeric mode's 45 characters (ISO/IEC 18004 §7.4.4). */
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/

export function qrModules(text: string): QrModules {
  const qr = qrcode(0, 'M')
  qr.addData(
    text,
    /^\d+$/.test(text) ? 'Numeric' : ALPHANUMERIC.test(text) ? 'Alphanumeric' : 'Byte',
  )
  qr.make()
  const size = qr.getModuleCount()
  const dark: [number, number][] = []
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) if (qr.isDark(r, c)) dark.push([c, r])
  }
  return { size, dark }
}
