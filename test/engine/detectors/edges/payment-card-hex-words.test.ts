import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paymentCardDetector } from '../../../../engine/detectors/payment-card';
import type { Finding } from '../../../../engine/detectors/types';
import { edges } from './helpers';

// docs/detectors.md, `payment-card`: decimal stretches inside words of 24+ characters that are all hex (digests, trace
// ids) are no card; letters glued to a card elsewhere do not hide it. Each word is judged on its own: a digest read
// earlier in the same value says nothing about a later word.

const card = edges('payment-card');
const hexUnit = fc.constantFrom(...'0123456789abcdef');
/** An all-hex word of 24-40 characters holding a decimal stretch of 12-16 digits. */
const digest = fc
  .tuple(
    fc.string({ unit: hexUnit, minLength: 4, maxLength: 12 }),
    fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 12, maxLength: 16 }),
    fc.string({ unit: hexUnit, minLength: 8, maxLength: 12 }),
  )
  .map(([a, d, b]) => `a${a}${d}b${b}`);

describe('payment-card after a digest in the same value', () => {
  it('a card glued to a letter after a digest word is still masked', () => {
    fc.assert(
      fc.property(
        digest,
        fc.constantFrom(' ', ' sha=', ', ', '\n'),
        fc.constantFrom('a', 'CC', 'abc', 'f', 'x'),
        fc.constantFrom('', 'z', 'n'),
        (hex, between, left, right) => {
          card.keeps(hex);
          card.masks(`${hex}${between}${left}`, '4111111111111111', right);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a digest after a card glued to a letter still hides its own stretch', () => {
    fc.assert(
      fc.property(digest, (hex) => card.masks('ab', '4111111111111111', ` ${hex}`)),
      { numRuns: 40 },
    );
  });
});

describe('payment-card at the start of a digest', () => {
  it('a decimal stretch that starts an all-hex word of 24+ characters is no card; a non-hex letter in the word makes it one', () => {
    fc.assert(
      fc.property(fc.string({ unit: hexUnit, minLength: 8, maxLength: 16 }), (tail) => {
        card.keeps(`sha 4111111111111111b${tail} ok`);
        card.masks('sha ', '4111111111111111', `g${tail} ok`);
      }),
      { numRuns: 40 },
    );
  });
});

describe('payment-card in a UUID', () => {
  const spans = (text: string) => {
    const out: Finding[] = [];
    paymentCardDetector.find(text, out);
    return out.map((f) => text.slice(f.start, f.end));
  };
  it('the last group of a UUID after a hex letter is no card; the same digits after a group that is no UUID part are', () => {
    for (const h of 'abcdefABCDEF') {
      expect(spans(`id 12345678-9abc-4def-8${h}0${h}-560000000003 ok`)).toEqual([]);
      expect(spans(`12345678-9ABC-4DEF-800${h}-560000000003`)).toEqual([]);
      expect(spans(`12345678-9abc-4def-800${h}g-560000000003`)).toEqual(['560000000003']);
      expect(spans(`9abc-4def-800${h}-560000000003`)).toEqual(['560000000003']);
    }
  });
});

describe('payment-card in a hex word after grouped digits', () => {
  const spans = (text: string) => {
    const out: Finding[] = [];
    paymentCardDetector.find(text, out);
    return out.map((f) => text.slice(f.start, f.end));
  };
  it('a digest whose first characters end a run of digit groups still hides its decimal stretch', () => {
    // `3456abcdef4111111111111111` is one all-hex word of 26 characters; the groups before it are no card.
    expect(spans('x 1234 5678 9012 3456abcdef4111111111111111 y')).toEqual([]);
    expect(spans('x 1234-5678-9012-3456abcdef4111111111111111 y')).toEqual([]);
    expect(spans('x 1234 5678 9012 3456abcdeg4111111111111111 y')).toEqual(['4111111111111111']);
    card.keeps('x 1234 5678 9012 3456abcdef4111111111111111 y');
  });
});
