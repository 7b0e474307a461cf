import {
  type CoreContext,
  consoleAuth,
  countOrganizations,
  createOrganization,
} from '@onboard/core'

/** How to create a console user, for the organisation `orgId` (a placeholder when unknown). */
function consoleUserHint(base: string, orgId: string): string[] {
  return [
    `Operator console: ${base}/console`,
    '  Create its first user (type a password of 12 or more characters, press Enter, then Ctrl-D):',
    `  pnpm cli user create --org ${orgId} --email you@example.com --password-stdin`,
  ]
}

/**
 * On the very first start there is nobody to hand a key to, so we create a default
 * organisation and print its test key once, with a curl that works as pasted, and how to
 * create the console's first user. Later starts repeat that hint while nobody can sign in.
 */
export async function bootstrapDefaultOrganization(
  core: CoreContext,
  print: (text: string) => void,
): Promise<void> {
  const base = core.publicBaseUrl
  if ((await countOrganizations(core)) > 0) {
    if ((await consoleAuth.countConsoleUsers(core)) === 0) {
      print(['', ...consoleUserHint(base, '<organizationId>'), ''].join('\n'))
    }
    return
  }
  const created = await createOrganization(core, { name: 'Default organisation' })
  print(
    [
      '',
      'First start: created the organisation "Default organisation".',
      `  organization id: ${created.organization.id}`,
      `  test key:        ${created.keys.test}`,
      `  live key:        ${created.keys.live}`,
      'These keys are shown only now (we store hashes). Create more with: pnpm cli key create --org <id> --mode test',
      '',
      'Create an onboarding link:',
      `  curl -s -X POST ${base}/v1/onboarding-links \\`,
      `    -H "Authorization: Bearer ${created.keys.test}" \\`,
      `    -H "Content-Type: application/json" \\`,
      `    -d '{"name":"Acme Corp","externalId":"customer-123","redirectUrl":"https://myapp.com/whatsapp/callback"}'`,
      '',
      ...consoleUserHint(base, created.organization.id),
      '',
      `API reference: ${base}/docs`,
      '',
    ].join('\n'),
  )
}
