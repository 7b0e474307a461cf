import { type MessageRow, type MessageStatusRow, messagesStore } from '@onboard/db'
import type { CoreContext, Tenant } from '../context'
import { findPhoneRows } from '../phones/read'
import { parseJson } from '../shared/json'
import { findOwnedRow, pageOf } from '../shared/owned'
import { type Pagination, type PaginationQuery, paginationOf } from '../shared/pagination'
import type { Message, MessageStatusEntry } from './schemas'
import { isMessageStatus, statusRank } from './statuses'

type Errors = Array<Record<string, unknown>>

function toEntry(row: MessageStatusRow): MessageStatusEntry {
  return {
    status: row.status,
    timestamp: row.occurred_at,
    errors: parseJson<Errors>(row.errors),
    pricing: parseJson<Record<string, unknown>>(row.pricing),
    recordedAt: row.recorded_at,
  }
}

/**
 * A stored message with its history. Its status is the furthest one known: the row's, or
 * one in the history that was processed before the row existed. Statuses Meta stamps in the
 * same second are ordered by how far along they are.
 */
function toMessage(row: MessageRow, history: MessageStatusRow[]): Message {
  const statuses = [...history]
    .sort(
      (a, b) =>
        a.occurred_at.localeCompare(b.occurred_at) || statusRank(a.status) - statusRank(b.status),
    )
    .map(toEntry)
  let status = row.status
  for (const entry of statuses) {
    if (isMessageStatus(entry.status) && statusRank(entry.status) > statusRank(status)) {
      status = entry.status
    }
  }
  const failed = statuses.findLast((s) => s.status === 'failed')
  return {
    id: row.id,
    phoneNumberId: row.phone_number_id,
    wabaId: row.waba_id,
    wamid: row.wamid,
    to: row.recipient,
    waId: row.wa_id,
    type: row.type,
    status,
    errors: parseJson<Errors>(row.error) ?? (status === 'failed' ? (failed?.errors ?? null) : null),
    statuses,
    content: parseJson<Record<string, unknown>>(row.body) ?? {},
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

async function withHistories(ctx: CoreContext, tenant: Tenant, rows: MessageRow[]) {
  const history = await messagesStore.statusesOf(
    ctx.db,
    tenant,
    rows.flatMap((r) => (r.wamid === null ? [] : [r.wamid])),
  )
  return rows.map((row) =>
    toMessage(row, row.wamid === null ? [] : history.filter((h) => h.wamid === row.wamid)),
  )
}

export async function getMessage(ctx: CoreContext, tenant: Tenant, id: string): Promise<Message> {
  const row = await findOwnedRow(ctx.db, 'messages', tenant, id, 'message')
  const [message] = await withHistories(ctx, tenant, [row])
  if (!message) throw new Error('a message without its serialisation')
  return message
}

/** GET /v1/phones/:id/messages: the phone's messages, newest first. */
export async function listMessages(
  ctx: CoreContext,
  tenant: Tenant,
  phoneId: string,
  query: PaginationQuery,
): Promise<{ data: Message[]; pagination: Pagination }> {
  const { phone } = await findPhoneRows(ctx, tenant, phoneId)
  const { rows, total } = await messagesStore.pageMessagesOfPhone(
    ctx.db,
    tenant,
    phone.id,
    pageOf(query),
  )
  return { data: await withHistories(ctx, tenant, rows), pagination: paginationOf(query, total) }
}
