import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spacedWord, spacedWordRun } from '../../../engine/detectors/spaced-view';

// `spacedWord` reads a quarter of the characters first (a run of 16 letters and digits one separator apart has no two
// of them side by side over 31+ characters); it must answer exactly what reading every start answers.
const alnum = fc.constantFrom(...'aZ09kQx7'.split(''));
const separator = fc.constantFrom(' ', '_', '-', '.', '/', '|', ':', '\u00a0', '  ', '_-', ' - ', '__');
const spacedRun = fc
  .tuple(fc.array(alnum, { minLength: 12, maxLength: 20 }), separator)
  .map(([units, sep]) => units.join(sep));
const filler = fc.string({ unit: fc.constantFrom(...'ab c_d-1.2/ef'.split('')), maxLength: 12 });

describe('spacedWord: the quarter-read condition before the exact read', () => {
  it('answers what the exact read answers, on spaced runs at every offset and on arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(filler, spacedRun, filler).map(([a, r, b]) => a + r + b),
          fc.tuple(spacedRun, filler, spacedRun).map(([a, f, b]) => a + f + b),
          fc.string({ maxLength: 80 }),
          fc.string({ unit: fc.constantFrom(...'a1 _'.split('')), maxLength: 80 }),
        ),
        (text) => {
          expect(spacedWord(text)).toBe(spacedWordRun(text));
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('finds a key id written one character apart, at every offset (the property is not vacuous)', () => {
    const key = 'AKIAIOSFODNN7EXAMPLE'.split('').join('_');
    for (let pad = 0; pad < 8; pad++) {
      expect(spacedWord(`${'x'.repeat(pad)} ${key} tail`)).toBe(true);
      expect(spacedWord(`${'x'.repeat(pad)} ${key.slice(0, 29)}`)).toBe(false);
    }
  });
});
