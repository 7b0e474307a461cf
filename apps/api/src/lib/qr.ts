import QRCode from 'qrcode'

/**
 * A QR code of `text` as inline SVG, made on the server (no script, no image request). It is
 * drawn with fill and stroke attributes only, which the console's CSP allows (no style).
 */
export async function qrSvg(text: string, label: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
  const escaped = label.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)
  return svg.replace('<svg ', `<svg role="img" aria-label="${escaped}" focusable="false" `)
}
