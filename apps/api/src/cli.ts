import { parseArgs } from 'node:util'
import {
  API_KEY_CACHE_TTL_MS,
  type CoreContext,
  consoleAuth,
  createApiKey,
  createOrganization,
  isAppError,
  listApiKeys,
  loadConfig,
  openCore,
  reencryptSecrets,
  revokeApiKey,
} from '@onboard/core'

const USAGE = `Usage:
  pnpm cli org create --name "Acme" [--json]
  pnpm cli key create --org <organizationId> --mode test|live [--json]
  pnpm cli key list --org <organizationId> [--json]
  pnpm cli key revoke <keyId> [--json]
  pnpm cli user create --org <organizationId> --email <email> --password-stdin [--json]
  pnpm cli user list --org <organizationId> [--json]
  pnpm cli user delete <userId> [--json]
  pnpm cli secrets reencrypt [--json]   (after a key rotation: every secret to ENCRYPTION_KEY)`

/** The password from standard input (its first line), never from argv, where ps shows it. */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
}

/** `exitCode` when the command ran but did not fully succeed (default 0). */
type Output = { json: unknown; text: string; exitCode?: number }

const OPTIONS = {
  name: { type: 'string' },
  org: { type: 'string' },
  mode: { type: 'string' },
  email: { type: 'string' },
  'password-stdin': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values']

/** One command: what it needs from the arguments, what it does, what it prints. */
type Command = (core: CoreContext, values: Values, target: string | undefined) => Promise<Output>

const COMMANDS: Record<string, Command> = {
  'org create': async (core, values) => {
    if (!values.name) throw new UsageError('org create needs --name "<name>"')
    const created = await createOrganization(core, { name: values.name })
    return {
      json: {
        organization: { id: created.organization.id, name: created.organization.name },
        keys: created.keys,
      },
      text: [
        `Organisation ${created.organization.name} (${created.organization.id})`,
        `  test key: ${created.keys.test}`,
        `  live key: ${created.keys.live}`,
        'Keys are shown only now; we store their hashes.',
      ].join('\n'),
    }
  },
  'key create': async (core, values) => {
    if (!values.org) throw new UsageError('key create needs --org <organizationId>')
    if (values.mode !== 'test' && values.mode !== 'live')
      throw new UsageError('key create needs --mode test or --mode live')
    const created = await createApiKey(core, values.org, values.mode)
    return {
      json: { key: created.key, ...created.summary },
      text: `${created.summary.id} (${values.mode}): ${created.key}\nThe key is shown only now; we store its hash.`,
    }
  },
  'key list': async (core, values) => {
    if (!values.org) throw new UsageError('key list needs --org <organizationId>')
    const keys = await listApiKeys(core, values.org)
    return {
      json: { keys },
      text:
        keys
          .map(
            (k) =>
              `${k.id}  ${k.mode}  …${k.lastFour}  created ${k.createdAt}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}`,
          )
          .join('\n') || 'No keys for this organisation.',
    }
  },
  'key revoke': async (core, _values, target) => {
    if (!target) throw new UsageError('key revoke needs the key id, e.g. key_…')
    const revoked = await revokeApiKey(core, target)
    return {
      json: { key: revoked },
      // A running API trusts a key it verified for a few seconds (see authenticateApiKey).
      text: `Revoked ${revoked.id} (${revoked.mode}, …${revoked.lastFour}). A running API refuses it within ${API_KEY_CACHE_TTL_MS / 1000} s.`,
    }
  },
  'user create': async (core, values) => {
    if (!values.org) throw new UsageError('user create needs --org <organizationId>')
    if (!values.email) throw new UsageError('user create needs --email <email>')
    if (!values['password-stdin'])
      throw new UsageError(
        'user create needs --password-stdin (the password is read from standard input)',
      )
    const user = await consoleAuth.createConsoleUser(core, {
      organizationId: values.org,
      email: values.email,
      password: await readPasswordFromStdin(),
    })
    return {
      json: { user },
      text: `Console user ${user.email} (${user.id}) can now sign in at ${core.publicBaseUrl}/console`,
    }
  },
  'user list': async (core, values) => {
    if (!values.org) throw new UsageError('user list needs --org <organizationId>')
    const users = await consoleAuth.listConsoleUsers(core, values.org)
    return {
      json: { users },
      text:
        users
          .map(
            (u) =>
              `${u.id}  ${u.email}  created ${u.createdAt}  ${u.lastSignInAt ? `last sign-in ${u.lastSignInAt}` : 'never signed in'}`,
          )
          .join('\n') || 'No console users in this organisation.',
    }
  },
  'user delete': async (core, _values, target) => {
    if (!target) throw new UsageError('user delete needs the user id, e.g. cu_…')
    await consoleAuth.deleteConsoleUser(core, target)
    return {
      json: { deleted: target },
      text: `Deleted ${target}; every browser it was signed in on is signed out.`,
    }
  },
  'secrets reencrypt': async (core) => {
    const result = await reencryptSecrets(core)
    return {
      json: { keyId: core.keyring.currentKeyId, ...result },
      exitCode: result.failures.length > 0 ? 1 : 0,
      text: [
        `Secrets now under key ${core.keyring.currentKeyId} (ENCRYPTION_KEY):`,
        ...result.columns.map(
          (c) =>
            `  ${c.table}.${c.column}: ${c.reencrypted} re-encrypted, ${c.alreadyCurrent} already current${c.failed ? `, ${c.failed} FAILED` : ''}`,
        ),
        ...result.failures.map(
          (f) => `  cannot decrypt ${f.table}.${f.column} [${f.key.join(', ')}]: ${f.reason}`,
        ),
        result.failures.length > 0
          ? 'Some secrets are under a key that is not configured: keep ENCRYPTION_KEY_PREVIOUS until they are dealt with.'
          : 'Every secret decrypts with ENCRYPTION_KEY alone: ENCRYPTION_KEY_PREVIOUS can be removed.',
      ].join('\n'),
    }
  },
}

async function run(core: CoreContext, argv: string[]): Promise<Output> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: OPTIONS,
  })
  const [noun, verb, target] = positionals
  const command = `${noun ?? ''} ${verb ?? ''}`.trim()
  const handler = COMMANDS[command]
  if (!handler) throw new UsageError(command ? `Unknown command "${command}"` : 'No command given')
  return handler(core, values, target)
}

class UsageError extends Error {}

async function main() {
  const argv = process.argv.slice(2).filter((arg) => arg !== '--')
  const asJson = argv.includes('--json')
  const loaded = loadConfig(process.env)
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`)
    return 1
  }
  const opened = await openCore(loaded.config)
  try {
    const output = await run(opened.core, argv)
    process.stdout.write(`${asJson ? JSON.stringify(output.json) : output.text}\n`)
    return output.exitCode ?? 0
  } catch (error) {
    const message =
      error instanceof UsageError
        ? `${error.message}\n\n${USAGE}`
        : isAppError(error)
          ? error.message
          : String(error)
    if (asJson) process.stdout.write(`${JSON.stringify({ error: { message } })}\n`)
    else process.stderr.write(`${message}\n`)
    return error instanceof UsageError ? 2 : 1
  } finally {
    await opened.close()
  }
}

process.exitCode = await main()
