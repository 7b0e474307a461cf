import { z } from 'zod'

export const paginationQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})

export type PaginationQuery = z.infer<typeof paginationQuerySchema>

export const paginationSchema = z
  .object({
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
    hasMore: z.boolean(),
  })
  .meta({ id: 'Pagination' })

export type Pagination = z.infer<typeof paginationSchema>

export function paginationOf(query: PaginationQuery, total: number): Pagination {
  return {
    page: query.page,
    limit: query.limit,
    total,
    hasMore: query.page * query.limit < total,
  }
}
