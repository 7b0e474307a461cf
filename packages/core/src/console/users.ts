import {
  type ConsoleUserRow,
  consoleStore,
  isUniqueViolation,
  organizationsStore,
} from '@onboard/db'
import { z } from 'zod'
import type { CoreContext } from '../context'
import { AppError, errors } from '../errors'
import { newPrefixedId } from '../ids'
import { hashPassword } from '../passwords'

const MIN_PASSWORD_LENGTH = 12
/** scrypt takes any length; a cap keeps one request from making it hash megabytes. */
export const MAX_PASSWORD_LENGTH = 1024

export const consoleEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }).max(254))

export interface ConsoleUser {
  id: string
  organizationId: string
  email: string
  createdAt: string
  lastSignInAt: string | null
}

function serialize(row: ConsoleUserRow): ConsoleUser {
  return {
    id: row.id,
    organizationId: row.organization_id,
    email: row.email,
    createdAt: row.created_at,
    lastSignInAt: row.last_sign_in_at,
  }
}

/** A console user of one organisation; the password is kept only as an scrypt hash. */
export async function createConsoleUser(
  ctx: CoreContext,
  input: { organizationId: string; email: string; password: string },
): Promise<ConsoleUser> {
  const email = consoleEmailSchema.safeParse(input.email)
  if (!email.success)
    throw errors.validation([{ field: 'email', message: 'must be an email address' }])
  if (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > MAX_PASSWORD_LENGTH) {
    throw errors.validation([
      {
        field: 'password',
        message: `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
      },
    ])
  }
  if (!(await organizationsStore.organizationExists(ctx.db, input.organizationId))) {
    throw errors.notFound('organisation')
  }
  const row = {
    id: newPrefixedId('cu'),
    organization_id: input.organizationId,
    email: email.data,
    password_hash: await hashPassword(input.password),
    created_at: ctx.now().toISOString(),
    last_sign_in_at: null,
  }
  try {
    await consoleStore.insertUser(ctx.db, row)
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw errors.conflict('email_taken', `A console user with the email ${row.email} exists.`)
    }
    throw error
  }
  return serialize(row)
}

export async function listConsoleUsers(
  ctx: CoreContext,
  organizationId: string,
): Promise<ConsoleUser[]> {
  return (await consoleStore.listUsers(ctx.db, organizationId)).map(serialize)
}

/** Deletes the user and signs out every browser they were signed in on. */
export async function deleteConsoleUser(ctx: CoreContext, id: string): Promise<void> {
  const deleted = await ctx.db.transaction().execute((trx) => consoleStore.deleteUser(trx, id))
  if (!deleted) throw new AppError('not_found', 404, `No console user ${id} exists.`)
}

/** Console users in the whole deployment (the start-up hint appears while there are none). */
export function countConsoleUsers(ctx: CoreContext): Promise<number> {
  return consoleStore.countUsers(ctx.db)
}
