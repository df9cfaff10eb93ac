import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnValid, validCardPrefix } from '../../../../engine/detectors/payment-card';
import { edges } from './helpers';

// The issuer table and the Luhn check of `payment-card` against oracles written from the brands' published ranges and
// the Luhn definition (not from the detector's arithmetic): every four-digit prefix at every length, and generated
// numbers with separators and offsets. Then through the public scanner: one number per brand at each length is masked
// exactly when the table allows it.

/** Brands in the order the doc comment of `validCardPrefix` lists them; the first whose prefix matches decides. */
const BRANDS: { name: string; ranges: [string, string][]; lengths: number[] }[] = [
  { name: 'Visa', ranges: [['4', '4']], lengths: [13, 16, 19] },
  {
    name: 'Mastercard',
    ranges: [
      ['51', '55'],
      ['2221', '2720'],
    ],
    lengths: [16],
  },
  {
    name: 'Amex',
    ranges: [
      ['34', '34'],
      ['37', '37'],
    ],
    lengths: [15],
  },
  {
    name: 'Discover',
    ranges: [
      ['6011', '6011'],
      ['644', '649'],
      ['65', '65'],
    ],
    lengths: [16, 17, 18, 19],
  },
  { name: 'JCB', ranges: [['3528', '3589']], lengths: [16, 17, 18, 19] },
  {
    name: 'Diners',
    ranges: [
      ['300', '305'],
      ['36', '36'],
      ['38', '39'],
    ],
    lengths: [14, 15, 16, 17, 18, 19],
  },
  { name: 'UnionPay', ranges: [['62', '62']], lengths: [16, 17, 18, 19] },
  { name: 'Mir', ranges: [['2200', '2204']], lengths: [16, 17, 18, 19] },
  {
    name: 'Maestro',
    ranges: [
      ['50', '50'],
      ['56', '69'],
    ],
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
  },
];

/** The brand whose range holds the leading digits `lead` (a string of at least four digits), or undefined. */
function brandOf(lead: string) {
  return BRANDS.find((b) =>
    b.ranges.some(([lo, hi]) => {
      const head = lead.slice(0, lo.length);
      return head >= lo && head <= hi;
    }),
  );
}

function oracleLuhn(digitsOnly: string): boolean {
  const total = [...digitsOnly]
    .reverse()
    .map((ch, k) => (k % 2 === 1 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(ch)] : Number(ch)))
    .reduce((x, y) => x + y, 0);
  return total % 10 === 0;
}

/** `body` completed with its Luhn check digit (found by trying the ten). */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (oracleLuhn(body + d)) return body + d;
  throw new Error('unreachable');
}

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
