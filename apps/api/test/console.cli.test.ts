import { spawn } from 'node:child_process'
import { consoleAuth, createOrganization } from '@onboard/core'
import { createTestDatabase, type TestDatabase } from '@onboard/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from './support/processes'

// Each CLI run starts a node + tsx process (a few seconds each on a busy machine).
const CLI_TEST_TIMEOUT_MS = 90_000

describe('pnpm cli user …', () => {
  let database: TestDatabase
  let organizationId: string

  /** Runs the CLI entry with `stdin` piped in, as `printf … | pnpm cli user create …` does. */
  const cli = (args: string[], stdin = '') =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/cli.ts', ...args], {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: database.databaseUrl,
          ENCRYPTION_KEY: database.encryptionKey,
          LOG_LEVEL: 'silent',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk) => {
        stdout += chunk
      })
      child.stderr.on('data', (chunk) => {
        stderr += chunk
      })
      child.on('exit', (code) => resolve({ code, stdout, stderr }))
      child.stdin.end(stdin)
    })

  beforeAll(async () => {
    database = await createTestDatabase()
    organizationId = (await createOrganization(database.core, { name: 'CLI org' })).organization.id
  })
  afterAll(() => database.close())

  it(
    'creates a user whose password (read from stdin) signs in, lists and deletes it',
    async () => {
      const created = await cli(
        [
          'user',
          'create',
          '--org',
          organizationId,
          '--email',
          ' Ops@Example.com ',
          '--password-stdin',
          '--json',
        ],
        'correct horse battery staple\n',
      )
      expect(created.code, created.stderr).toBe(0)
      const { user } = JSON.parse(created.stdout)
      expect(user).toMatchObject({ organizationId, email: 'ops@example.com' })
      expect(user.id).toMatch(/^cu_/)
      expect(created.stdout).not.toContain('correct horse')

      const signedIn = await consoleAuth.signIn(database.core, {
        email: 'ops@example.com',
        password: 'correct horse battery staple',
        clientIp: '127.0.0.1',
      })
      expect(signedIn.session).toMatchObject({ organizationId, mode: 'test', userId: user.id })

      const listed = await cli(['user', 'list', '--org', organizationId, '--json'])
      expect(JSON.parse(listed.stdout).users.map((u: { id: string }) => u.id)).toEqual([user.id])

      const again = await cli(
        [
          'user',
          'create',
          '--org',
          organizationId,
          '--email',
          'ops@example.com',
          '--password-stdin',
        ],
        'another long password\n',
      )
      expect(again.code).toBe(1)
      expect(again.stderr).toContain('A console user with the email ops@example.com exists.')

      const deleted = await cli(['user', 'delete', user.id, '--json'])
      expect(deleted.code, deleted.stderr).toBe(0)
      // Deleting the user ended the session it had.
      expect(await consoleAuth.findConsoleSession(database.core, signedIn.token)).toBeNull()
      expect(
        JSON.parse((await cli(['user', 'list', '--org', organizationId, '--json'])).stdout).users,
      ).toEqual([])
    },
    CLI_TEST_TIMEOUT_MS,
  )

  it(
    'refuses a short password, a bad email, an unknown organisation and a password on argv',
    async () => {
      const short = await cli(
        ['user', 'create', '--org', organizationId, '--email', 'a@example.com', '--password-stdin'],
        'short\n',
      )
      expect(short.code).toBe(1)
      expect(short.stderr).toContain('password: must be 12 to 1024 characters')
      const badEmail = await cli(
        ['user', 'create', '--org', organizationId, '--email', 'not-an-email', '--password-stdin'],
        'a long enough password\n',
      )
      expect(badEmail.stderr).toContain('email: must be an email address')
      const unknownOrg = await cli(
        ['user', 'create', '--org', 'no-such-org', '--email', 'b@example.com', '--password-stdin'],
        'a long enough password\n',
      )
      expect(unknownOrg.stderr).toContain('No organisation with that id exists.')
      const noStdin = await cli([
        'user',
        'create',
        '--org',
        organizationId,
        '--email',
        'c@example.com',
      ])
      expect(noStdin.code).toBe(2)
      expect(noStdin.stderr).toContain('--password-stdin')
      expect(
        JSON.parse((await cli(['user', 'list', '--org', organizationId, '--json'])).stdout).users,
      ).toEqual([])
    },
    CLI_TEST_TIMEOUT_MS,
  )
})
