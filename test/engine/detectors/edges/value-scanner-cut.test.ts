import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { LOWER, chars } from './secret-edges-helpers';

// Values longer than `maxScanLength` (docs/policy.md "Long values"): the value is cut at the bound, moved back to just
// after the nearest separator within 256 characters (no token split in half), never between the two halves of a
// surrogate pair; the prefix is scanned (a finding running across the cut is masked up to the cut) and the rest is
// replaced by the `unscanned` mask.

const scannerFor = (maxScanLength: number) =>
  [true, false].map((prefilter) =>
    createValueScanner({
      detectors: 'all',
      action: 'mask',
      mask: '[{type}]',
      cleanCacheSize: 0,
      prefilter,
      maxScanLength,
    }),
  );

/** The characters a value is cut after (blanks, line breaks, list, query, quote and bracket punctuation). */
const SEPARATORS = [' ', '\t', '\n', '\r', ',', ';', '&', '"', "'", '<', '>', '(', ')', '[', ']', '{', '}', '|'];
/** Punctuation inside tokens: never a cut point. */
const INSIDE = ['.', '-', '_', '/', ':', '=', '+', '@', '#', '%', '!', '?', '*', '~'];

describe('cutting a long value', () => {
  it('after the last separator before the bound; the tail is the unscanned mask', () => {
    fc.assert(
      fc.property(
        chars(LOWER, 1, 40),
        fc.constantFrom(...SEPARATORS),
        chars(LOWER, 2, 200),
        fc.constantFrom(...INSIDE),
        (head, sep, token, inside) => {
          // The token after the separator runs past the bound and holds in-token punctuation: it is not cut inside.
          const value = `${head}${sep}${token}${inside}${token}`;
          const max = head.length + 1 + token.length;
          for (const s of scannerFor(max)) expect(s.scan(value).value).toBe(`${head}${sep}[unscanned]`);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('at the bound when no separator is within 256 characters before it, not inside a surrogate pair', () => {
    fc.assert(
      fc.property(chars(LOWER, 257, 300), fc.boolean(), (word, pair) => {
        const value = `${word}${pair ? '😀' : 'xy'}tail`;
        const max = word.length + 1;
        const prefix = pair ? word : `${word}x`;
        for (const s of scannerFor(max)) expect(s.scan(value).value).toBe(`${prefix}[unscanned]`);
      }),
      { numRuns: 20 },
    );
  });

  it('a finding that starts at or after the cut is left to the unscanned tail (not counted on its own)', () => {
    fc.assert(
      fc.property(chars(LOWER, 1, 20), chars(LOWER, 3, 8), fc.integer({ min: 0, max: 12 }), (head, name, k) => {
        const addr = `${name}@example.com`;
        const value = `${head} ${addr} more`;
        const max = head.length + 1 + Math.min(k, addr.length - 1);
        for (const s of scannerFor(max)) {
          const r = s.scan(value);
          expect(r.value).toBe(`${head} [unscanned]`);
          expect(r.types).toEqual(['unscanned']);
          expect(r.findings).toBe(1);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a grouped card across the cut is masked up to the cut', () => {
    fc.assert(
      fc.property(chars(LOWER, 2, 10), fc.integer({ min: 1, max: 3 }), (word, groups) => {
        const value = `paid ${word} 4111 1111 1111 1111 thanks`;
        const start = value.indexOf('4111');
        // The bound falls after `groups` groups (their blank the last separator before it).
        const max = start + groups * 5;
        for (const s of scannerFor(max)) expect(s.scan(value).value).toBe(`paid ${word} [payment-card][unscanned]`);
      }),
      { numRuns: 20 },
    );
  });
});
