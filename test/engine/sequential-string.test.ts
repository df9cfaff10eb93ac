import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sequential } from '../../engine/sequential-string';

// The engine reads a URL or statement that missed its output cache as `sequential(value)`: the same text in another
// representation. Text that Unicode normalization would change (decomposed accents, compatibility forms, lone
// surrogates) must come back as written, built by concatenation as instrumentations build values.
const unit = fc.oneof(
  fc.constantFrom(...'/?=&@.:%0123456789abcXYZ '),
  fc.constantFrom(
    'é',
    'e\u0301',
    '\u212b',
    'A\u030a',
    '\u1e9b\u0323',
    'ﬁ',
    '①',
    '\ud800',
    '\udc00',
    '😀',
    'ÿ',
    '\u00a8',
  ),
);

describe('sequential', () => {
  it('returns the same text for every string, Latin-1 or not, normalized or not (concatenated pieces)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit, maxLength: 12 }), { minLength: 1, maxLength: 6 }), (parts) => {
        const value = parts.reduce((s, p) => s + p, '');
        const out = sequential(value);
        expect(out.length).toBe(value.length);
        for (let i = 0; i < value.length; i++) expect(out.charCodeAt(i)).toBe(value.charCodeAt(i));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps text Unicode normalization would change', () => {
    for (const s of ['cafe\u0301', '\u212b', 'x\ud800y', 'ﬁle'])
      expect([...sequential('/' + s + '/')].map((c) => c.codePointAt(0))).toEqual(
        [...('/' + s + '/')].map((c) => c.codePointAt(0)),
      );
  });
});
