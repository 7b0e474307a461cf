import type { CoreContext, Tenant } from '../context'
import type { MetaApps } from '../meta-apps'
import { findPhoneRows } from '../phones/read'
import type { MessageTemplate } from './schemas'
import { metaAppFor, withBusinessToken } from './send'

/** GET /v1/phones/:id/templates: the message templates of the phone's WABA, read from Graph. */
export async function listTemplates(
  ctx: CoreContext,
  metaApps: MetaApps,
  tenant: Tenant,
  phoneId: string,
): Promise<MessageTemplate[]> {
  const { phone, waba } = await findPhoneRows(ctx, tenant, phoneId)
  const app = metaAppFor(metaApps, phone.mode)
  const templates = await withBusinessToken(ctx, waba, (token) =>
    app.client.listMessageTemplates(waba.meta_waba_id, token),
  )
  return templates.map((t) => ({
    id: t.id,
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.status,
    components: t.components,
  }))
}
