import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IDENTIFIER_DIGITS,
  hasIdentifierDigits,
  identifierDigitsEnd,
  identifierDigitsStart,
} from '../../engine/identifier-digits';

// The run of nine significant decimal digits (leading zeros of a run not counted) against a reference that splits the
// window `from`..`to` into digit runs with a regex and counts each run's digits after its leading zeros. Texts are built
// from digits, zeros, non-digits next to the digit range (`/`, `:`, full-width digits) and letters, with runs of 8 to 10.

/** The reference: [start, end] of the first run of 9 significant digits in `text.slice(from, to)`, or undefined. */
function reference(text: string, from: number, to: number): [number, number] | undefined {
  const window = text.slice(from, to);
  for (const m of window.matchAll(/[0-9]+/g)) {
    const significant = m[0].replace(/^0+/, '');
    if (significant.length >= 9) {
      const start = from + m.index + (m[0].length - significant.length);
      return [start, start + 8];
    }
  }
  return undefined;
}

const piece = fc.oneof(
  fc.constantFrom('0', '00', '1', '9', '5', 'a', '/', ':', '.', ' ', '\uff15', '_'),
  fc
    .integer({ min: 8, max: 10 })
    .chain((n) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''))),
);

describe('identifier digits: the first run of nine significant digits', () => {
  it('is nine', () => {
    expect(IDENTIFIER_DIGITS).toBe(9);
  });

  it('agrees with the reference, whole texts and windows of them', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), fc.nat(), fc.nat(), (pieces, a, b) => {
        const text = pieces.join('');
        const whole = reference(text, 0, text.length);
        expect(identifierDigitsEnd(text), text).toBe(whole?.[1] ?? -1);
        expect(identifierDigitsStart(text), text).toBe(whole?.[0] ?? -1);
        expect(hasIdentifierDigits(text), text).toBe(whole !== undefined);
        const from = a % (text.length + 1);
        const to = from + (b % (text.length - from + 1));
        const part = reference(text, from, to);
        expect(identifierDigitsEnd(text, from, to), `${text} ${from}..${to}`).toBe(part?.[1] ?? -1);
        expect(identifierDigitsStart(text, from, to)).toBe(part?.[0] ?? -1);
        expect(hasIdentifierDigits(text, from, to)).toBe(part !== undefined);
      }),
      { numRuns: 800 },
    );
  });

  it('edges: eight and nine significant digits, leading zeros, the window bounds', () => {
    expect(identifierDigitsEnd('12345678')).toBe(-1);
    expect(identifierDigitsEnd('x123456789')).toBe(9);
    expect(identifierDigitsStart('x00123456789')).toBe(3);
    expect(identifierDigitsEnd('0012345678')).toBe(-1);
    expect(identifierDigitsEnd('1023456789', 1)).toBe(-1);
    expect(identifierDigitsEnd('123456789', 0, 8)).toBe(-1);
    expect(hasIdentifierDigits('1234/56789')).toBe(false);
  });
});
