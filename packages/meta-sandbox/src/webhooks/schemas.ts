import { z } from 'zod'

const EMIT_KINDS = [
  'inbound_text',
  'status',
  'partner_added',
  'partner_app_installed',
  'partner_removed',
  'partner_app_uninstalled',
  'quality_update',
] as const

const graphId = z.string().regex(/^\d{1,20}$/, 'must be a Graph id (digits)')

/** `POST /webhooks/emit`. Unknown keys are a 400, as for `/signups`. */
export const emitRequestSchema = z.strictObject({
  /** Our callback, e.g. `http://localhost:3000/webhooks/meta`. */
  target: z.url({ protocol: /^https?$/ }),
  kind: z.enum(EMIT_KINDS),
  /** The Meta phone number id (inbound_text, status, quality_update). */
  phoneNumberId: graphId.optional(),
  /** The Meta WABA id (partner_*); found from the phone when it is a sandbox phone. */
  wabaId: graphId.optional(),
  text: z.string().min(1).max(4096).default('Hello from the sandbox'),
  /** The customer's WhatsApp id (phone digits) the message comes from or the status is for. */
  from: z
    .string()
    .regex(/^\d{6,15}$/)
    .default('16505551234'),
  profileName: z.string().min(1).max(100).default('Sandbox Customer'),
  /** Defaults to a fresh `wamid.…`; repeat one to play Meta's duplicates. */
  messageId: z.string().min(1).max(200).optional(),
  status: z.enum(['sent', 'delivered', 'read', 'failed']).default('delivered'),
  qualityEvent: z.enum(['FLAGGED', 'UNFLAGGED']).default('FLAGGED'),
  /** Coexistence disconnections carry a reason, e.g. PRIMARY_INACTIVITY. */
  disconnectionReason: z.string().min(1).max(64).optional(),
})

export type EmitRequest = z.infer<typeof emitRequestSchema>
