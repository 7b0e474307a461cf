import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  buildServiceBundles,
  SERVICE_NODE_FLAGS,
  type ServiceBundles,
} from '../../lib/service-bundles'

const root = fileURLToPath(new URL('../../..', import.meta.url))
let built: Promise<ServiceBundles> | undefined

/**
 * How ./scripts/start runs a service: its bundle, with its node flags. The bundles are
 * built once per bench run, into the bench's own folder (a running service keeps its own).
 */
export async function serviceNodeArgs(
  workDir: string,
  service: keyof ServiceBundles,
): Promise<string[]> {
  built ??= buildServiceBundles(root, join(workDir, 'bundles'))
  const bundles = await built
  return [...SERVICE_NODE_FLAGS[service], bundles[service]]
}
