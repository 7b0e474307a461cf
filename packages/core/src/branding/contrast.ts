/** The hosted page's button text is white on the accent colour. */
const WHITE_LUMINANCE = 1
/** WCAG 2.x AA for normal text. */
export const MINIMUM_CONTRAST = 4.5

function channels(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16)
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff]
}

/** One sRGB channel (0–255) as linear light, per WCAG 2.x's relative luminance. */
function linear(channel: number): number {
  const c = channel / 255
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

/** WCAG 2.x relative luminance of a `#rrggbb` colour (0 black, 1 white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map(linear) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The WCAG contrast ratio of white text on `hex` (1 to 21). */
export function whiteTextContrast(hex: string): number {
  return (WHITE_LUMINANCE + 0.05) / (relativeLuminance(hex) + 0.05)
}

/**
 * The accent's hover shade: each channel at 80%. Darker than the accent, so white text on it
 * keeps at least the accent's contrast.
 */
export function darkerShade(hex: string): string {
  return `#${channels(hex)
    .map((channel) =>
      Math.round(channel * 0.8)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`
}
