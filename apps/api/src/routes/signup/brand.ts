import { createHash } from 'node:crypto'
import type { branding } from '@onboard/core'

/** What the hosted page's layout draws of the organisation's branding. */
interface BrandView {
  displayName: string | null
  logoPath: string | null
  supportEmail: string | null
  supportUrl: string | null
  /** The `<style>` element's whole text: the accent as the stylesheet's custom properties. */
  style: string | null
}

const HEX_COLOR = /^#[0-9a-f]{6}$/

/**
 * The page's brand and the CSP hash of its one inline `<style>` (the policy forbids inline
 * style attributes and unlisted style elements). The colours were checked as `#rrggbb` when
 * stored; they are checked again here because they land inside a style element unescaped.
 */
export function brandView(hosted: branding.HostedBranding | null): {
  brand: BrandView | null
  styleHash: string | null
} {
  if (!hosted) return { brand: null, styleHash: null }
  const accent =
    hosted.accent && HEX_COLOR.test(hosted.accent.color) && HEX_COLOR.test(hosted.accent.hover)
      ? hosted.accent
      : null
  const style = accent ? `:root{--brand:${accent.color};--brand-dark:${accent.hover}}` : null
  return {
    brand: {
      displayName: hosted.displayName,
      logoPath: hosted.logoPath,
      supportEmail: hosted.supportEmail,
      supportUrl: hosted.supportUrl,
      style,
    },
    styleHash: style ? `sha256-${createHash('sha256').update(style).digest('base64')}` : null,
  }
}
