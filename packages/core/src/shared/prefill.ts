import { z } from 'zod'

const PREFILL_MAX_BYTES = 10 * 1024

/** Codes Intl knows as regions but which are not countries Meta would accept. */
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO'])
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' })

/** ISO 3166-1 alpha-2: Intl echoes a code it does not know, so a name differing from it is known. */
function isCountryCode(value: string): boolean {
  if (!/^[A-Z]{2}$/.test(value) || NOT_COUNTRIES.has(value)) return false
  try {
    return regionNames.of(value) !== value
  } catch {
    return false
  }
}

/** A real IANA zone (`America/Los_Angeles`, `UTC`), not an offset like `+02:00`. */
function isIanaTimeZone(value: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return true
  } catch {
    return false
  }
}

const line = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => v.trim().length > 0, 'must not be empty or blank')

const websiteSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value)
      return url.protocol === 'https:' || url.protocol === 'http:'
    } catch {
      return false
    }
  }, 'must be an http(s) URL')

/** The documented example (the seed's), also the OpenAPI example. */
export const prefillExample = {
  business: {
    name: 'Acme Corp',
    email: 'contact@acme.com',
    website: 'https://acme.com',
    address: {
      streetAddress1: '123 Main St',
      city: 'San Francisco',
      state: 'CA',
      zipPostal: '94102',
      country: 'US',
    },
    phone: { code: 1, number: '4155551234' },
    timezone: 'America/Los_Angeles',
  },
  phone: {
    displayName: 'Acme Support',
    category: 'Automotive',
    description: 'Official Acme Corp WhatsApp support channel',
  },
}

/**
 * Business and phone-profile data passed to Meta's Embedded Signup (`extras.setup`), in the
 * shape and limits of the Chirp session documents. Unknown fields are refused by name so a
 * typo does not silently pre-fill nothing.
 */
export const prefillSchema = z
  .strictObject({
    business: z
      .strictObject({
        name: line(255).optional(),
        email: z.email({ error: 'must be an email address' }).max(320).optional(),
        website: websiteSchema.optional(),
        phone: z
          .strictObject({
            code: z.number().int().min(1).max(999).meta({ description: 'Country calling code' }),
            number: z.string().regex(/^\d{4,15}$/, 'must be 4-15 digits, without the country code'),
          })
          .optional(),
        address: z
          .strictObject({
            streetAddress1: line(255).optional(),
            streetAddress2: line(255).optional(),
            city: line(255).optional(),
            state: line(255).optional(),
            zipPostal: line(32).optional(),
            country: z
              .string()
              .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code such as US')
              .optional(),
          })
          .optional(),
        timezone: z
          .string()
          .max(64)
          .refine(isIanaTimeZone, 'must be an IANA time zone such as America/Los_Angeles')
          .optional(),
      })
      .optional(),
    phone: z
      .strictObject({
        displayName: line(512).optional(),
        category: line(100).optional(),
        description: line(512).optional(),
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    const size = Buffer.byteLength(JSON.stringify(value), 'utf8')
    if (size > PREFILL_MAX_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most 10 KB when serialised (got ${size} bytes)`,
      })
    }
  })
  .meta({
    id: 'Prefill',
    description: 'Pre-fills Meta’s Embedded Signup screens; at most 10 KB',
    example: prefillExample,
  })

export type Prefill = z.infer<typeof prefillSchema>

/** Meta's pre-verified phone number ids: Graph ids, digits only. */
export const preVerifiedPhoneIdsSchema = z
  .array(z.string().regex(/^\d{1,32}$/, 'must be a Meta phone number id (digits only)'))
  .min(1)
  .max(10)
  .superRefine((ids, ctx) => {
    const seen = new Set<string>()
    ids.forEach((id, index) => {
      if (seen.has(id))
        ctx.addIssue({ code: 'custom', path: [index], message: `duplicates "${id}"` })
      seen.add(id)
    })
  })
