import type { Context } from 'hono'
import type { AppDeps, AppEnv } from '../../lib/env'
import type { ConsoleCookies } from '../../middleware/console-gate'

/** What every console page gets: the app's deps, the cookie names, the 403 and 404 pages. */
export interface ConsoleDeps extends AppDeps {
  cookies: ConsoleCookies
  forbidden: (c: Context<AppEnv>) => Response
  notFound: (c: Context<AppEnv>) => Response
}
