import { AppError } from '../errors'

/** Larger logos are refused: the page must stay light on a phone. */
export const MAX_LOGO_BYTES = 100 * 1024

/**
 * The raster types we accept, each with its file extension and how its bytes begin. SVG is
 * not among them: it can carry script.
 */
const LOGO_TYPES = {
  'image/png': { extension: 'png', starts: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]] },
  'image/jpeg': { extension: 'jpg', starts: [[0xff, 0xd8, 0xff]] },
  // RIFF, four bytes of size, then WEBP.
  'image/webp': {
    extension: 'webp',
    starts: [[0x52, 0x49, 0x46, 0x46], [], [0x57, 0x45, 0x42, 0x50]],
  },
} as const

export type LogoContentType = keyof typeof LOGO_TYPES

const isLogoType = (value: string): value is LogoContentType => value in LOGO_TYPES

/** The declared Content-Type's media type, lower case, without parameters. */
function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

/** Each part of the signature at its offset (WebP's: bytes 0–3 and 8–11). */
function startsLike(bytes: Buffer, type: LogoContentType): boolean {
  let offset = 0
  for (const part of LOGO_TYPES[type].starts) {
    if (part.length === 0) {
      offset += 4
      continue
    }
    if (bytes.length < offset + part.length) return false
    if (part.some((byte, index) => bytes[offset + index] !== byte)) return false
    offset += part.length
  }
  return true
}

/**
 * The uploaded logo's type, when its declared type is one we accept and its bytes are an
 * image of that type; otherwise the refusal naming what is wrong. The browser is told the
 * type we checked (and `nosniff`), so a file that is not the image it claims is never served.
 */
export function checkLogo(contentType: string | undefined, bytes: Buffer): LogoContentType {
  const type = mediaType(contentType)
  if (!isLogoType(type)) {
    throw new AppError(
      'unsupported_logo_type',
      415,
      `The logo must be sent as image/png, image/jpeg or image/webp (got ${type || 'no Content-Type'}); SVG is not accepted.`,
    )
  }
  if (bytes.length === 0) {
    throw new AppError('logo_empty', 400, 'The request body is empty: send the image’s bytes.')
  }
  if (bytes.length > MAX_LOGO_BYTES) throw logoTooLarge()
  if (!startsLike(bytes, type)) {
    throw new AppError(
      'logo_content_mismatch',
      400,
      `The body is not a ${LOGO_TYPES[type].extension.toUpperCase()} image, as its Content-Type ${type} says.`,
    )
  }
  return type
}

export const logoTooLarge = () =>
  new AppError('logo_too_large', 413, 'The logo must be at most 100 KB.')

/** The logo's path on this service: its content hash and its type's extension. */
export function logoPath(sha256: string, contentType: string): string {
  const type = isLogoType(contentType) ? LOGO_TYPES[contentType].extension : 'bin'
  return `/branding/logos/${sha256}.${type}`
}

/** `<sha256>.<ext>` from a logo's path, or null when the name cannot be one of ours. */
export function parseLogoFileName(name: string): { sha256: string; extension: string } | null {
  const match = /^([0-9a-f]{64})\.(png|jpg|webp)$/.exec(name)
  return match ? { sha256: match[1] as string, extension: match[2] as string } : null
}

/** Whether a stored type is the one a logo file name's extension promises. */
export function extensionMatches(contentType: string, extension: string): boolean {
  return isLogoType(contentType) && LOGO_TYPES[contentType].extension === extension
}
