import { linkActivityStore, linksStore } from '@onboard/db'
import { z } from 'zod'
import type { CoreContext } from '../context'
import { AppError, errors } from '../errors'
import { newSortableId } from '../ids'
import { sha256Hex } from '../secrets'
import { verifySignupNonceWithAny } from '../signup-nonce'

/** One page render may retry Connect a few times; more than this is not a person. */
const MAX_ATTEMPT = 50
/** A link's stored steps are capped: a page cannot fill the table. */
export const MAX_ACTIVITY_PER_LINK = 200

/** What the hosted page reports, as it happens. Everything is bounded: it comes from a browser. */
export const linkActivitySchema = z.strictObject({
  nonce: z.string().min(1).max(200),
  kind: z.enum(['opened', 'connect_pressed', 'meta_result']),
  /** Which press of Connect in this render (0 for "opened"). */
  attempt: z.number().int().min(0).max(MAX_ATTEMPT),
  /** Meta's WA_EMBEDDED_SIGNUP message, for `meta_result`. */
  result: z
    .strictObject({
      event: z.string().min(1).max(32),
      step: z.string().max(64).optional(),
      errorCode: z.string().max(64).optional(),
      errorMessage: z.string().max(500).optional(),
    })
    .optional(),
})

export type LinkActivityInput = z.infer<typeof linkActivitySchema>

/**
 * Records a step the hosted page reported for link `id`. The page's nonce (an HMAC over the
 * link id, made when it was rendered) is the only credential: a report for another link, or
 * without a page, is refused. A report repeated within one render is one row; a link holds
 * at most MAX_ACTIVITY_PER_LINK.
 */
export async function recordLinkActivity(
  ctx: CoreContext,
  id: string,
  input: LinkActivityInput,
): Promise<{ recorded: boolean }> {
  const now = ctx.now()
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw errors.notFound('onboarding link')
  if (!verifySignupNonceWithAny(ctx.keyring.signupNonceKeys, id, input.nonce, now)) {
    throw new AppError('invalid_nonce', 403, 'This page is out of date. Reload it.')
  }
  const link = await linksStore.findLink(ctx.db, id)
  if (!link) throw errors.notFound('onboarding link')
  if (input.kind === 'meta_result' && !input.result) {
    throw errors.validation([{ field: 'result', message: 'is required for meta_result' }])
  }
  if ((await linkActivityStore.countActivityOfLink(ctx.db, id)) >= MAX_ACTIVITY_PER_LINK) {
    throw new AppError('rate_limited', 429, 'This link has reported enough steps.', undefined, {
      retryAfterSeconds: 3600,
    })
  }
  const recorded = await linkActivityStore.insertActivity(ctx.db, {
    id: newSortableId('lac', now.getTime()),
    organization_id: link.organization_id,
    mode: link.mode,
    onboarding_link_id: link.id,
    kind: input.kind,
    detail: input.result ? JSON.stringify(input.result) : null,
    dedupe_key: `${input.kind}:${input.kind === 'opened' ? 0 : input.attempt}:${sha256Hex(input.nonce)}`,
    created_at: now.toISOString(),
  })
  return { recorded }
}
