import { links } from '@onboard/core'
import { type Catalogue, catalogues, LOCALES, META_SDK_LOCALES } from '@onboard/views'
import { describe, expect, it } from 'vitest'

/** Every string of a catalogue by its dotted key (`pending.connect`); anything else is kept too. */
function entries(value: unknown, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>()
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) {
      for (const [path, leaf] of entries(inner, prefix ? `${prefix}.${key}` : key)) {
        found.set(path, leaf)
      }
    }
  } else {
    found.set(prefix, value)
  }
  return found
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

const english = entries(catalogues.en)
const others = LOCALES.filter((locale) => locale !== 'en')

describe('language catalogues', () => {
  it('English has only non-empty strings', () => {
    for (const [key, text] of english) {
      expect(typeof text, key).toBe('string')
      expect((text as string).trim(), key).not.toBe('')
    }
  })

  it.each(others)('%s has exactly English’s keys, each a non-empty string', (locale) => {
    const catalogue = entries(catalogues[locale] satisfies Catalogue)
    const missing = [...english.keys()].filter((key) => !catalogue.has(key))
    const extra = [...catalogue.keys()].filter((key) => !english.has(key))
    expect({ missing, extra }).toEqual({ missing: [], extra: [] })
    for (const [key, text] of catalogue) {
      expect(typeof text, key).toBe('string')
      expect((text as string).trim(), key).not.toBe('')
    }
  })

  it.each(others)('%s keeps each of English’s placeholders, and adds none', (locale) => {
    const catalogue = entries(catalogues[locale])
    const differing = [...english].flatMap(([key, text]) => {
      const theirs = catalogue.get(key)
      if (typeof text !== 'string' || typeof theirs !== 'string') return []
      const [want, got] = [placeholders(text), placeholders(theirs)]
      return want.join() === got.join() ? [] : [{ key, want, got }]
    })
    expect(differing).toEqual([])
  })

  it('the API accepts exactly the languages there are catalogues and Meta SDK locales for', () => {
    expect([...links.LINK_LOCALES].sort()).toEqual([...LOCALES].sort())
    expect(Object.keys(catalogues).sort()).toEqual([...LOCALES].sort())
    expect(Object.keys(META_SDK_LOCALES).sort()).toEqual([...LOCALES].sort())
  })
})
