import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnValid, validCardPrefix } from '../../../../engine/detectors/payment-card';
import { BRANDS, brandOf, oracleLuhn, withCheckDigit } from './card-oracle';
import { edges } from './helpers';

// The issuer table and the Luhn check of `payment-card` against oracles written from the brands' published ranges and
// the Luhn definition (not from the detector's arithmetic): every four-digit prefix at every length, and generated
// numbers with separators and offsets. Then through the public scanner: one number per brand at each length is masked
// exactly when the table allows it.

describe('payment-card issuer table (every four-digit prefix, lengths 0-25)', () => {
  it('validCardPrefix agrees with the brand ranges', () => {
    const wrong: string[] = [];
    for (let p4 = 0; p4 <= 9999; p4++)
      for (const tail of [0, 37, 99]) {
        const prefix6 = p4 * 100 + tail;
        const brand = brandOf(String(prefix6).padStart(6, '0'));
        for (let length = 0; length <= 25; length++) {
          const want = brand !== undefined && brand.lengths.includes(length);
          if (validCardPrefix(prefix6, length) !== want) wrong.push(`${prefix6}/${length}`);
        }
      }
    expect(wrong.slice(0, 20)).toEqual([]);
  });
});

describe('Luhn check', () => {
  it('luhnValid agrees with the definition over a window, skipping non-digits', () => {
    const sep = fc.constantFrom('', '', ' ', '-', '.', 'x', '\u00a0');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), sep), { minLength: 0, maxLength: 22 }),
        fc.nat(4),
        fc.nat(4),
        (parts, cutLeft, cutRight) => {
          const text = parts.map(([d, s]) => `${d}${s}`).join('');
          const start = Math.min(cutLeft, text.length);
          const end = Math.max(start, text.length - cutRight);
          const window = text.slice(start, end).replace(/\D/g, '');
          expect(luhnValid(text, start, end)).toBe(oracleLuhn(window));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('every single-digit change of a valid number fails the check', () => {
    const n = withCheckDigit('411111111111111');
    for (let k = 0; k < n.length; k++)
      for (let d = 0; d <= 9; d++) {
        const m = n.slice(0, k) + d + n.slice(k + 1);
        expect(luhnValid(m, 0, m.length), m).toBe(m === n);
      }
  });
});

describe('payment-card through the scanner: one number per brand and length', () => {
  const card = edges('payment-card');
  it('a Luhn-valid number is masked exactly when its brand allows its length', () => {
    for (const brand of BRANDS)
      for (const [lo, hi] of brand.ranges)
        for (const lead of new Set([lo, hi]))
          for (let length = 11; length <= 20; length++) {
            const body = (lead + '1234567890123456789').slice(0, length - 1);
            const n = withCheckDigit(body);
            const want = brandOf(n) === brand && brand.lengths.includes(length);
            if (want) card.masks('pan ', n, ' end');
            else card.keeps(`pan ${n} end`);
          }
  });
});
