import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCustomPattern } from '../../../../engine/detectors/custom-pattern';
import { compiles } from './helpers';
import { edgeScanners } from './secret-edges-helpers';

// Custom patterns (engine/detectors/custom-pattern.ts, docs/policy.md): a quantifier right after a quantifier is
// refused with a one-line reason, while braces that JavaScript reads as literal characters after a quantifier
// (`\d+{x}`, `\d+{1,x}`, `\d+{,5}`, `\d+{x{2}`: no `{n}`, `{n,}` or `{n,m}` right there) are an ordinary pattern:
// accepted, and masking exactly what JavaScript's engine matches.

/** What the engine masks in `text` with `pattern` as the custom detector `custom_id`. */
function engineMasked(pattern: string, text: string): string {
  return text.replace(new RegExp(pattern, 'g'), '[REDACTED:custom_id]');
}

const QUANTIFIERS = ['+', '*', '?', '{2}', '{1,3}', '{2,}', '+?', '*?', '{1,3}?'];

describe('custom patterns: braces after a quantifier', () => {
  it.each([
    ['ID\\d+{x}', 'see ID123{x} and ID9{y}'],
    ['ID\\d+{1,x}', 'see ID123{1,x} ok'],
    ['ID\\d+{,5}', 'see ID77{,5} ok'],
    ['ID\\d+{x{2}', 'see ID77{xx ok'],
    ['ID\\d*?{a}', 'see ID{a} ID12{a}'],
    ['ID\\d{2}{x}', 'see ID12{x}'],
    ['ID\\d+{ 2}', 'see ID1{ 2}'],
  ])('%s is accepted and masks what the engine matches', (pattern, text) => {
    expect(checkCustomPattern(pattern)).toBeUndefined();
    const expected = engineMasked(pattern, text);
    expect(expected).not.toBe(text);
    for (const s of edgeScanners([], [{ name: 'custom_id', pattern }]).scanners)
      expect(s.scan(text).value).toBe(expected);
  });

  it.each(['ID\\d+{2}', 'ID\\d+{1,3}', 'ID\\d+{2,}', 'ID\\d{2}{3}', 'ID\\d+*', 'ID\\d+??', 'ID\\d{1,2}?+'])(
    '%s (a quantifier on a quantifier) is refused with one line',
    (pattern) => {
      const r = checkCustomPattern(pattern);
      expect(r).toMatch(/^does not compile: .*Nothing to repeat$|^a quantifier directly after a quantifier$/);
      expect(r).not.toContain('\n');
    },
  );

  it('generated brace tails after every quantifier: accepted exactly when JavaScript reads the braces as characters', () => {
    const tail = fc.array(fc.constantFrom('{', '}', ',', '1', '2', 'x', ' '), { minLength: 0, maxLength: 9 });
    fc.assert(
      fc.property(fc.constantFrom(...QUANTIFIERS), tail, fc.constantFrom('', 'y'), (q, t, after) => {
        const pattern = `ID\\d${q}{${t.join('')}${after}`;
        const r = checkCustomPattern(pattern);
        if (!compiles(pattern)) {
          expect(r, pattern).toMatch(/^does not compile: /);
          return;
        }
        // The only other refusals a tail of literal characters and counts can draw: overlapping neighbours, or a
        // count above the documented bounds (`{{22111}` repeats a literal `{`).
        if (r !== undefined) {
          expect(r, pattern).toMatch(/^adjacent quantifiers|^repetition bound \d+ above (1000|256)$/);
          return;
        }
        const text = `a ID12{${t.join('')}${after} ID3{xy} b`;
        const expected = engineMasked(pattern, text);
        for (const s of edgeScanners([], [{ name: 'custom_id', pattern }]).scanners)
          expect(s.scan(text).value, pattern).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
