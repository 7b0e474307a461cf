import { type Catalogue, en } from './en'
import { es } from './es'
import { ptBR } from './pt-BR'

export type { Catalogue }

/** The languages the hosted pages and the sandbox popup speak; English is the fallback. */
export const LOCALES = ['en', 'es', 'pt-BR'] as const
export type Locale = (typeof LOCALES)[number]

export const catalogues: Record<Locale, Catalogue> = { en, es, 'pt-BR': ptBR }

/**
 * Meta's SDK locale for each language (connect.facebook.net/{locale}/sdk.js): Meta offers
 * Latin-American Spanish and Brazilian Portuguese, the variants our catalogues are written in.
 */
export const META_SDK_LOCALES: Record<Locale, string> = {
  en: 'en_US',
  es: 'es_LA',
  'pt-BR': 'pt_BR',
}

/**
 * Our language for a Meta locale (`es_ES`, `pt_PT`, …): by its language, English when we have
 * none, as Meta's dialog falls back to en_US.
 */
export function localeOfMetaLocale(metaLocale: string | undefined): Locale {
  const language = metaLocale?.split('_')[0]?.toLowerCase()
  if (language === 'es') return 'es'
  if (language === 'pt') return 'pt-BR'
  return 'en'
}

/** The text with each `{name}` replaced by its value; an unknown placeholder stays as written. */
export function fillIn(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole)
}

/**
 * The text before and after one `{name}`, for templates that put markup there (a <strong>,
 * a <code>) while escaping the translated words around it.
 */
export function splitAt(text: string, name: string): [string, string] {
  const marker = `{${name}}`
  const at = text.indexOf(marker)
  if (at < 0) return [text, '']
  return [text.slice(0, at), text.slice(at + marker.length)]
}
