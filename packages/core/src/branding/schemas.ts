import { z } from 'zod'
import { MINIMUM_CONTRAST, whiteTextContrast } from './contrast'

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/

const displayNameSchema = z.string().trim().min(1).max(100).meta({
  description: 'Shown on the hosted pages beside the logo, e.g. your product’s name',
  example: 'Acme Messaging',
})

const accentColorSchema = z
  .string()
  .regex(HEX_COLOR, 'must be a colour as #rrggbb')
  .transform((value) => value.toLowerCase())
  .superRefine((value, ctx) => {
    const contrast = whiteTextContrast(value)
    if (contrast < MINIMUM_CONTRAST) {
      ctx.addIssue({
        code: 'custom',
        message: `white text on ${value} has a contrast of ${contrast.toFixed(2)}:1, below WCAG AA's ${MINIMUM_CONTRAST}:1; choose a darker colour`,
      })
    }
  })
  .meta({
    description:
      'The buttons’ colour (#rrggbb). Their text is white, so white on it must reach WCAG AA (4.5:1)',
    example: '#1a73e8',
  })

const supportEmailSchema = z.email().max(254).meta({ example: 'help@acme.example' })

const supportUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value)
      return url.protocol === 'https:' && url.username === '' && url.password === ''
    } catch {
      return false
    }
  }, 'must be an https:// URL without credentials')
  .meta({ example: 'https://acme.example/help' })

export const updateBrandingSchema = z
  .strictObject({
    displayName: displayNameSchema.nullable().optional(),
    accentColor: accentColorSchema.nullable().optional(),
    supportEmail: supportEmailSchema.nullable().optional(),
    supportUrl: supportUrlSchema.nullable().optional(),
  })
  .meta({
    id: 'UpdateBrandingRequest',
    description: 'Fields left out keep their value; null clears one',
  })

export type UpdateBrandingInput = z.infer<typeof updateBrandingSchema>

export const brandingSchema = z
  .object({
    displayName: z.string().nullable(),
    accentColor: z.string().nullable(),
    supportEmail: z.string().nullable(),
    supportUrl: z.string().nullable(),
    logoUrl: z.string().nullable().meta({
      description: 'Served by this service; the URL changes whenever the image does',
    }),
  })
  .meta({ id: 'Branding' })

export type Branding = z.infer<typeof brandingSchema>
