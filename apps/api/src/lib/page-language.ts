import { LOCALES, type Locale } from '@onboard/views'

/**
 * Our language for a language tag, by its primary subtag: `es-MX` and `es-419` are Spanish;
 * every Portuguese (`pt`, `pt-BR`, `pt-PT`) gets Brazilian Portuguese, the one we write (a
 * Portuguese reader understands it better than English). Null when we do not speak it.
 */
function localeOfTag(tag: string): Locale | null {
  const exact = LOCALES.find((locale) => locale.toLowerCase() === tag.toLowerCase())
  if (exact) return exact
  const language = tag.split('-')[0]?.toLowerCase()
  if (language === 'en') return 'en'
  if (language === 'es') return 'es'
  if (language === 'pt') return 'pt-BR'
  return null
}

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/**
 * The best language the browser accepts (RFC 9110 §12.5.4): entries by q-value, highest
 * first, ties in the order given; `q=0` means "not this one"; a malformed entry is skipped.
 * `*` accepts anything, which is English, our fallback. Null when nothing listed matches.
 */
function localeFromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null
  const ranked: { locale: Locale; q: number; index: number }[] = []
  header.split(',').forEach((entry, index) => {
    const [range, ...params] = entry.split(';').map((part) => part.trim())
    if (!range || !/^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$/.test(range)) return
    let q = 1
    for (const param of params) {
      const [name, value] = param.split('=').map((part) => part.trim())
      if (name?.toLowerCase() !== 'q') continue
      if (!value || !QVALUE.test(value)) return
      q = Number(value)
    }
    if (q === 0) return
    const locale = range === '*' ? 'en' : localeOfTag(range)
    if (locale) ranked.push({ locale, q, index })
  })
  ranked.sort((a, b) => b.q - a.q || a.index - b.index)
  return ranked[0]?.locale ?? null
}

/** How the page's language was chosen; `byHeader` means the answer varies with Accept-Language. */
export interface PageLanguage {
  locale: Locale
  byHeader: boolean
}

/**
 * The hosted page's language: the link's own `locale`, else `?lang=`, else Accept-Language,
 * else English. An unknown `?lang=` is ignored: the page must still open.
 */
export function choosePageLanguage(input: {
  targetLocale: Locale | null
  lang: string | undefined
  acceptLanguage: string | undefined
}): PageLanguage {
  if (input.targetLocale) return { locale: input.targetLocale, byHeader: false }
  const fromQuery = input.lang ? localeOfTag(input.lang) : null
  if (fromQuery) return { locale: fromQuery, byHeader: false }
  return { locale: localeFromAcceptLanguage(input.acceptLanguage) ?? 'en', byHeader: true }
}
