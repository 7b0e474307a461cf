import { describe, expect, it } from 'vitest'
import { darkerShade, relativeLuminance, whiteTextContrast } from '../src/branding/contrast'

/**
 * WCAG 2.x's relative luminance and contrast ratio, checked against values published by
 * WebAIM's contrast checker, and the hover shade that must never lose contrast.
 */
describe('accent colour contrast', () => {
  it('computes relative luminance at the ends and in between', () => {
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10)
    expect(relativeLuminance('#000000')).toBe(0)
    expect(relativeLuminance('#808080')).toBeCloseTo(0.2159, 4)
  })

  it.each([
    ['#000000', 21],
    ['#ffff00', 1.07],
    ['#767676', 4.54],
    ['#777777', 4.48],
    ['#1a73e8', 4.5],
    ['#595959', 7.0],
  ])('white on %s is %s:1', (color, ratio) => {
    expect(whiteTextContrast(color)).toBeCloseTo(ratio, 1)
  })

  it('puts #1a73e8 just above AA and #2b88ff below it', () => {
    expect(whiteTextContrast('#1a73e8')).toBeGreaterThanOrEqual(4.5)
    expect(whiteTextContrast('#2b88ff')).toBeLessThan(4.5)
  })

  it('makes a hover shade at least as readable as the accent', () => {
    for (const color of ['#1a73e8', '#767676', '#0b6b3a', '#000000']) {
      const hover = darkerShade(color)
      expect(hover).toMatch(/^#[0-9a-f]{6}$/)
      expect(whiteTextContrast(hover)).toBeGreaterThanOrEqual(whiteTextContrast(color))
    }
    expect(darkerShade('#1a73e8')).toBe('#155cba')
  })
})
