import type { Graph } from '../graph'
import { accessTokenResponse, debugTokenResponse } from '../schemas'
import { parseBody } from '../transport'
import type { MetaClient, TokenDebugInfo } from '../types'

/** The Embedded Signup code exchange and what Meta says a token may do. */
export function tokenOperations(graph: Graph): Pick<MetaClient, 'exchangeCode' | 'debugToken'> {
  return {
    async exchangeCode(code, opts = {}) {
      const operation = 'exchangeCode'
      const response = await graph.call({
        operation,
        method: 'GET',
        path: 'oauth/access_token',
        query: {
          client_id: graph.appId,
          client_secret: graph.appSecret,
          code,
          redirect_uri: opts.redirectUri,
        },
        retry: false,
        isCodeExchange: true,
        secrets: [code],
      })
      const body = parseBody(accessTokenResponse, response, operation)
      return {
        accessToken: body.access_token,
        expiresAt: body.expires_in ? new Date(Date.now() + body.expires_in * 1000) : null,
      }
    },

    async debugToken(inputToken): Promise<TokenDebugInfo> {
      const operation = 'debugToken'
      const response = await graph.call({
        operation,
        method: 'GET',
        path: 'debug_token',
        query: { input_token: inputToken },
        token: graph.appToken,
        retry: true,
        secrets: [inputToken],
      })
      const { data } = parseBody(debugTokenResponse, response, operation)
      const management = (data.granular_scopes ?? []).find(
        (s) => s.scope === 'whatsapp_business_management',
      )
      return {
        isValid: data.is_valid === true,
        expiresAt: data.expires_at ? new Date(data.expires_at * 1000) : null,
        scopes: data.scopes ?? [],
        wabaIds: management?.target_ids ?? [],
      }
    },
  }
}
