/** The callback URL to configure in Meta's App Dashboard: `${PUBLIC_BASE_URL}/webhooks/meta`. */
export const META_WEBHOOK_PATH = '/webhooks/meta'
