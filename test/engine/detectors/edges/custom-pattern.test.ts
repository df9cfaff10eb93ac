import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CUSTOM_MAX_BOUND,
  CUSTOM_REPEAT_CAP,
  checkCustomPattern,
  compileCustomPattern,
} from '../../../../engine/detectors/custom-pattern';
import { createValueScanner } from '../../../../engine/detectors/value-scanner';
import { edgeScanners } from './secret-edges-helpers';

// Custom patterns (engine/detectors/custom-pattern.ts, docs/value-scanning.md): the checker's character classes are
// read against JavaScript's own engine (the set a class matches, over ASCII and a few non-ASCII samples), so every
// element of a class (a single character, a range, a class escape, a single-character escape starting a range,
// `[a-\d]`) is pinned: two repetitions of classes that share a character must be refused, disjoint ones accepted;
// the bounds (1000 per repetition, 256 for an unbounded one, 1000 characters of source) on both sides; and an
// accepted pattern masks what the engine matches.

const SAMPLES = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), 'é', '\u00a0', '中', '\u2028'];

/** One element of a character class, and whether it may match something outside ASCII (as the checker reads it). */
const single = fc.constantFrom(...'abcxyzABCXYZ0159_@#.,;: '.split(''), '\\.', '\\-', '\\]', '\\[', '\\/');
const element: fc.Arbitrary<{ src: string; wide: boolean }> = fc.oneof(
  single.map((src) => ({ src, wide: false })),
  fc
    .tuple(fc.integer({ min: 33, max: 126 }), fc.integer({ min: 0, max: 20 }))
    .filter(([lo, n]) => lo + n <= 126)
    .map(([lo, n]) => {
      const esc = (c: number) =>
        /[\\\]^-]/.test(String.fromCharCode(c)) ? `\\${String.fromCharCode(c)}` : String.fromCharCode(c);
      return { src: `${esc(lo)}-${esc(lo + n)}`, wide: false };
    }),
  fc
    .constantFrom('\\d', '\\w', '\\t', '\\n', '\\t-\\r', '\\n-\\r', 'a-\\d', '0-\\w')
    .map((src) => ({ src, wide: false })),
  fc.constantFrom('\\s', '\\D', '\\W', '\\S').map((src) => ({ src, wide: true })),
);
const cls = fc.array(element, { minLength: 1, maxLength: 4 }).map((els) => ({
  src: `[${els.map((e) => e.src).join('')}]`,
  wide: els.some((e) => e.wide),
}));

function members(source: string): Set<string> {
  const re = new RegExp(`^${source}$`);
  return new Set(SAMPLES.filter((s) => re.test(s)));
}
const intersect = (a: Set<string>, b: Set<string>) => [...a].some((s) => b.has(s));

describe('custom patterns: character classes as the checker reads them', () => {
  it('adjacent repetitions of two classes are refused exactly when the classes share a character', () => {
    fc.assert(
      fc.property(cls, cls, (x, y) => {
        const overlap = intersect(members(x.src), members(y.src));
        const reason = checkCustomPattern(`${x.src}+${y.src}+`);
        if (overlap) expect(reason, `${x.src} ${y.src}`).toMatch(/adjacent quantifiers/);
        else if (!(x.wide && y.wide)) expect(reason, `${x.src} ${y.src}`).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it('alternatives under a repetition are refused exactly when they can start with the same character', () => {
    fc.assert(
      fc.property(cls, cls, (x, y) => {
        const overlap = intersect(members(x.src), members(y.src));
        const reason = checkCustomPattern(`(?:${x.src}z|${y.src}q)+`);
        if (overlap) expect(reason, `${x.src} ${y.src}`).toMatch(/overlapping alternatives/);
        else if (!(x.wide && y.wide)) expect(reason, `${x.src} ${y.src}`).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('a `-` first or last in a class is a literal dash', () => {
    fc.assert(
      fc.property(fc.constantFrom(...'abcXYZ019@#'), fc.constantFrom(...'abcXYZ019@#'), (a, b) => {
        expect(checkCustomPattern(`[${a}-]+[-]+`)).toMatch(/adjacent quantifiers/);
        expect(checkCustomPattern(`[-${a}]+\\-+`)).toMatch(/adjacent quantifiers/);
        if (a !== b) expect(checkCustomPattern(`[${a}-]+${b}+`)).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });

  it('a negated class is the complement: [^x]+ next to x+ is accepted, next to anything else it overlaps', () => {
    fc.assert(
      fc.property(fc.constantFrom(...'abcXYZ019@#'), fc.constantFrom(...'abcXYZ019@#'), (a, b) => {
        const reason = checkCustomPattern(`[^${a}]+${b}+`);
        if (a === b) expect(reason).toBeUndefined();
        else expect(reason).toMatch(/adjacent quantifiers/);
      }),
      { numRuns: 60 },
    );
  });
});

describe('custom patterns: bounds', () => {
  it(`a bound of ${CUSTOM_MAX_BOUND} is accepted, ${CUSTOM_MAX_BOUND + 1} is refused (as min or max)`, () => {
    expect(CUSTOM_MAX_BOUND).toBe(1000);
    expect(checkCustomPattern('x\\d{1,1000}')).toBeUndefined();
    expect(checkCustomPattern('x\\d{1000}')).toBeUndefined();
    expect(checkCustomPattern('x\\d{1,1001}')).toMatch(/1001 above 1000/);
    expect(checkCustomPattern('x\\d{1001}')).toMatch(/1001 above 1000/);
    expect(checkCustomPattern('x\\d{1001,}')).toMatch(/above/);
  });

  it(`an unbounded repetition runs capped at ${CUSTOM_REPEAT_CAP}: {${CUSTOM_REPEAT_CAP},} is accepted, {${CUSTOM_REPEAT_CAP + 1},} refused`, () => {
    expect(CUSTOM_REPEAT_CAP).toBe(256);
    expect(compileCustomPattern('id-\\d+')).toEqual({ ok: true, source: 'id-\\d{1,256}' });
    expect(compileCustomPattern('id-\\d*x')).toEqual({ ok: true, source: 'id-\\d{0,256}x' });
    expect(compileCustomPattern('id-\\d{3,}')).toEqual({ ok: true, source: 'id-\\d{3,256}' });
    expect(compileCustomPattern('id-\\d{256,}')).toEqual({ ok: true, source: 'id-\\d{256,256}' });
    expect(checkCustomPattern('id-\\d{257,}')).toMatch(/257 above 256/);
  });

  it('a source of 1000 characters is accepted, 1001 refused; an empty one refused', () => {
    expect(checkCustomPattern('a'.repeat(1000))).toBeUndefined();
    expect(checkCustomPattern('a'.repeat(1001))).toMatch(/longer than 1000/);
    expect(checkCustomPattern('')).toMatch(/empty/);
    expect(checkCustomPattern('a?')).toMatch(/empty string/);
    expect(checkCustomPattern('(?:)')).toMatch(/empty string/);
  });

  it('a refused pattern keeps the scanner from being built', () => {
    expect(() =>
      createValueScanner({ detectors: [], custom: [{ name: 'x', pattern: '(a+)+' }], action: 'mask', mask: '[X]' }),
    ).toThrow(/nested quantifiers/);
  });
});

describe('custom patterns: an accepted pattern masks what the engine matches', () => {
  it('class sequences on generated text (pre-filter on and off)', () => {
    fc.assert(
      fc.property(
        cls.filter((x) => !x.wide),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.constantFrom(...'abcxyzABXYZ0159_@#.,;: '.split('')), { minLength: 0, maxLength: 16 }),
        (x, n, text) => {
          const pattern = `${x.src}{${n}}`;
          const value = `note ${text.join('')} end`;
          fc.pre(checkCustomPattern(pattern) === undefined);
          const scan = edgeScanners([], [{ name: 'custom_id', pattern }]);
          // Touching findings are masked one by one, as the engine matches them.
          const expected = value.replace(new RegExp(pattern, 'g'), '[REDACTED:custom_id]');
          for (const s of scan.scanners) expect(s.scan(value).value, pattern).toBe(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
