import { type CoreContext, countOrganizations, createOrganization } from '@onboard/core'

/**
 * On the very first start there is nobody to hand a key to, so we create a default
 * organisation and print its test key once, with a curl that works as pasted.
 */
export async function bootstrapDefaultOrganization(
  core: CoreContext,
  print: (text: string) => void,
): Promise<void> {
  if ((await countOrganizations(core)) > 0) return
  const created = await createOrganization(core, { name: 'Default organisation' })
  const base = core.publicBaseUrl
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
      `API reference: ${base}/docs`,
      '',
    ].join('\n'),
  )
}
