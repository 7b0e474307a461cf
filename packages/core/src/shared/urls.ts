import { z } from 'zod'

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
const FORBIDDEN_SCHEMES = new Set([
  'javascript:',
  'data:',
  'file:',
  'vbscript:',
  'blob:',
  'about:',
  'ftp:',
  'ws:',
  'wss:',
])

function parse(value: string): URL | null {
  try {
    return new URL(value)
  } catch {
    return null
  }
}

/** https anywhere; http only for a local host (development receivers and apps). */
function isHttpsOrLocalHttp(url: URL): boolean {
  if (url.protocol === 'https:') return true
  return url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)
}

/**
 * Where the end-user is sent back to: an https URL, a local http URL, or a mobile app's
 * own scheme such as `myapp://whatsapp/callback`. Script-bearing schemes never pass.
 */
export const redirectUrlSchema = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    const url = parse(value)
    if (!url) {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' })
      return
    }
    if (FORBIDDEN_SCHEMES.has(url.protocol)) {
      ctx.addIssue({ code: 'custom', message: `the ${url.protocol} scheme is not allowed` })
      return
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      if (!isHttpsOrLocalHttp(url)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must use https (http is allowed only for localhost)',
        })
      }
      return
    }
    if (!value.slice(url.protocol.length).startsWith('//')) {
      ctx.addIssue({ code: 'custom', message: 'an app scheme must look like myapp://callback' })
    }
  })

/** Where we POST webhooks: https, or http to a local receiver. */
export const webhookUrlSchema = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    const url = parse(value)
    if (!url) {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' })
    } else if (!isHttpsOrLocalHttp(url)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must use https (http is allowed only for localhost)',
      })
    } else if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not contain credentials' })
    }
  })
