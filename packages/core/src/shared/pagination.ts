import { z } from 'zod'

/**
 * A query parameter that is a plain decimal integer. `z.coerce.number()` is `Number()`, which
 * also takes `0x10`, `1e1`, `+1` and surrounding spaces; those are refused by name instead.
 */
function decimalParameter(min: number, max: number, fallback: number) {
  return (
    z
      .string()
      .regex(/^\d{1,16}$/, 'must be a decimal integer such as 1')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .default(fallback)
      // Documented as the integer it means, not as the string it arrives as.
      .meta({ type: 'integer', minimum: min, maximum: max, default: fallback, example: fallback })
  )
}

export const paginationQuerySchema = z.object({
  page: decimalParameter(1, 1_000_000, 1),
  limit: decimalParameter(1, 100, 50),
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
