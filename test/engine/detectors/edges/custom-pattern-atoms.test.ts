import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCustomPattern, compileCustomPattern } from '../../../../engine/detectors/custom-pattern';
import { compiles } from './helpers';

// Custom patterns (engine/detectors/custom-pattern.ts, docs/policy.md): atoms outside character classes — literals,
// `.`, class escapes, control escapes, groups of every kind, case-insensitive groups `(?i:…)`, and zero-width items
// (anchors, `\b`, lookarounds) — read against JavaScript's own engine. Two adjacent repetitions `A+B+` backtrack
// polynomially exactly when A and B can match the same character; the checker refuses them then and accepts them
// otherwise (it reads "some character outside ASCII" as one character, so two atoms that both match one are
// refused). A zero-width item between them does not separate them; a mandatory character neither repetition can
// match does.

const SAMPLES = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), 'é', 'K', '\u00a0', '中', '\u2028'];

/** One-character atoms outside a class, as a user writes them. */
const ATOMS = [
  ...'abkzAKZ019_@#-,;:/ "\''.split(''),
  '.',
  '\\d',
  '\\D',
  '\\w',
  '\\W',
  '\\s',
  '\\S',
  '\\n',
  '\\r',
  '\\t',
  '\\f',
  '\\v',
  '\\.',
  '\\-',
  '\\k',
  '\\/',
  '(?:a)',
  '(?:b|c)',
  '(?<n>z)',
  '(?i:a)',
  '(?i:K)',
  '(?i:[a-c])',
  '(?i:\\d)',
  '(?i:(?-i:a))',
  '(?m:a)',
  '(?s:.)',
  '(?i-m:z)',
  '[^]',
  '(?:[\\b])',
  '\\x41',
  '\\x7a',
  '\\x2D',
  '\\u0041',
  '\\u00e9',
  '\\u4E2D',
  '(?i:\\x41)',
  '(?i:\\u007A)',
  '\\cA',
  '\\cj',
  '\\p',
  '\\P',
  '(?i:\\p)',
  '[\\x41-\\x43]',
  '[\\u0061-\\u0063]',
];
/** Zero-width items: they separate nothing. */
const ZERO_WIDTH = ['^', '$', '\\b', '\\B', '(?=a)', '(?!a)', '(?<=a)', '(?<!a)', '(?=[0-9]\\d)'];

function members(atom: string): Set<string> {
  const re = new RegExp(`^(?:${atom})$`);
  return new Set(SAMPLES.filter((s) => re.test(s)));
}
function overlap(a: string, b: string): boolean {
  const x = members(a);
  const y = members(b);
  if ([...x].some((s) => y.has(s))) return true;
  const wide = (s: Set<string>) => [...s].some((c) => c.charCodeAt(0) > 127);
  return wide(x) && wide(y);
}

const atom = fc.constantFrom(...ATOMS);
/** The same atom as a second one in a pattern (group names must differ). */
const second = (a: string) => a.replace('(?<n>', '(?<o>');

describe('custom patterns: atoms as the checker reads them', () => {
  it('A+B+ is refused exactly when A and B can match the same character', () => {
    fc.assert(
      fc.property(atom, atom, fc.constantFrom('+', '*', '{2,}', '{1,3}'), (a, b, q) => {
        const pattern = `=${a}${q}${second(b)}${q}=`;
        const reason = checkCustomPattern(pattern);
        if (!compiles(pattern)) expect(reason, pattern).toMatch(/^does not compile: /);
        else if (overlap(a, b)) expect(reason, pattern).toMatch(/^adjacent quantifiers/);
        else expect(reason, pattern).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('a zero-width item between them separates nothing; a mandatory character neither matches does', () => {
    fc.assert(
      fc.property(atom, atom, fc.constantFrom(...ZERO_WIDTH), fc.constantFrom(...ATOMS), (a, b, z, m) => {
        const both = overlap(a, b);
        const zero = `=${a}+${z}${second(b)}+=`;
        if (!compiles(zero)) expect(checkCustomPattern(zero), zero).toMatch(/^does not compile: /);
        else if (both) expect(checkCustomPattern(zero), zero).toMatch(/^adjacent quantifiers/);
        else expect(checkCustomPattern(zero), zero).toBeUndefined();
        const sep = `=${a}+${m.replace('(?<n>', '(?<p>')}${second(b)}+=`;
        const expected = both && overlap(a, m) ? /^adjacent quantifiers/ : undefined;
        if (!compiles(sep)) expect(checkCustomPattern(sep), sep).toMatch(/^does not compile: /);
        else if (expected) expect(checkCustomPattern(sep), sep).toMatch(expected);
        else if (!overlap(a, m) && !overlap(m, b)) expect(checkCustomPattern(sep), sep).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it('a repeated atom is one atom: its repetition is capped where it is written', () => {
    for (const a of ATOMS) {
      expect(compileCustomPattern(`=${a}+=`), a).toEqual({ ok: true, source: `=${a}{1,256}=` });
      expect(compileCustomPattern(`=${a}*?=`), a).toEqual({ ok: true, source: `=${a}{0,256}?=` });
    }
  });

  it('`.` in a `(?s:…)` group matches line breaks: next to a repeated line break it overlaps', () => {
    expect(checkCustomPattern('x\\r+(?s:.)+y')).toMatch(/^adjacent quantifiers/);
    expect(checkCustomPattern('x(?s:.+)\\n+y')).toMatch(/^adjacent quantifiers/);
    expect(checkCustomPattern('x\\n+.+y')).toBeUndefined();
    expect(checkCustomPattern('x(?s:(?-s:.)+\\n+)y')).toBeUndefined();
    expect(checkCustomPattern('x(?s:a)\\n+.+y')).toBeUndefined();
  });

  it('the bodies of lookarounds are checked too; a quantifier on one is refused', () => {
    for (const look of ['(?=', '(?!', '(?<=', '(?<!']) {
      expect(checkCustomPattern(`x${look}(a+)+)y`)).toMatch(/^nested quantifiers/);
      expect(checkCustomPattern(`x${look}\\d+\\d+)y`)).toMatch(/^adjacent quantifiers/);
      expect(checkCustomPattern(`x${look}(\\w)\\1)y`)).toMatch(/^backreferences/);
      expect(checkCustomPattern(`x${look}a)+y`)).toMatch(/^a quantifier on an assertion$|^does not compile/);
      expect(checkCustomPattern(`x${look}a)y`)).toBeUndefined();
    }
    expect(checkCustomPattern('x(?=a)+y')).toBe('a quantifier on an assertion');
    expect(checkCustomPattern('x(?=a){2}y')).toBe('a quantifier on an assertion');
  });

  it('a pattern of zero-width items only, or of optional atoms, matches the empty string and is refused', () => {
    for (const z of ZERO_WIDTH) expect(checkCustomPattern(z), z).toBe('matches the empty string');
    for (const a of ATOMS) expect(checkCustomPattern(`${a}?`), a).toBe('matches the empty string');
    expect(checkCustomPattern('a|b?')).toBe('matches the empty string');
    expect(checkCustomPattern('(?:)')).toBe('matches the empty string');
  });

  it('a code unit escape without its hex digits is the letter itself', () => {
    expect(checkCustomPattern('=\\x4+x+=')).toBeUndefined();
    expect(checkCustomPattern('=\\x4+4+=')).toMatch(/^adjacent quantifiers/);
    expect(checkCustomPattern('=\\u12+u+=')).toBeUndefined();
    expect(checkCustomPattern('=\\u12+2+=')).toMatch(/^adjacent quantifiers/);
    expect(checkCustomPattern('=\\xg+x+=')).toBeUndefined();
    expect(checkCustomPattern('=\\xg+g+=')).toMatch(/^adjacent quantifiers/);
    expect(checkCustomPattern('=\\c1+1+=')).toMatch(/^adjacent quantifiers/);
    expect(compileCustomPattern('=\\x41+=')).toEqual({ ok: true, source: '=\\x41{1,256}=' });
    expect(compileCustomPattern('=\\u0041*=')).toEqual({ ok: true, source: '=\\u0041{0,256}=' });
  });

  it.each([
    // Overlapping alternatives: an alternative that starts with a zero-width item starts with what follows it.
    ['x(?:\\bb|bc)+y', /^overlapping alternatives/],
    ['x(?:(?=b)b|bc)+y', /^overlapping alternatives/],
    ['x(?:\\bb|cb)+y', undefined],
    // An alternative that can be empty, at any depth under the repetition.
    ['x(?:y(?:a|))+z', /^overlapping alternatives/],
    ['x(?:y(?:a\\b|c))+z', undefined],
    ['x(?:y(?:\\b))+z', undefined],
    ['x(?:y(?:))+z', undefined],
    // Overlapping alternatives nested in one alternative of several.
    ['x(?:(?:a|ab)c|d)+y', /^overlapping alternatives/],
    ['x(?:d|(?:a|ab)c)+y', /^overlapping alternatives/],
    ['x(?:(?:a|b)c|d)+y', undefined],
    // Nested quantifiers inside one alternative of several.
    ['x(?:(?:a+|b)c)+y', /^nested quantifiers/],
    ['x(?:b|(?:a+)c)+y', /^nested quantifiers/],
    // An optional group is no repetition: overlapping alternatives or an inner quantifier are fine, but its body
    // is still checked.
    ['x(?:a|ab)?y', undefined],
    ['x(?:a+)?y', undefined],
    ['x(?:(?:a|ab)c)?y', undefined],
    ['x(?:(a+)+)?y', /^nested quantifiers/],
    ['x(?:\\d+\\d+)?y', /^adjacent quantifiers/],
    ['x(?:(a)\\1)?y', /^backreferences/],
    // Group syntax: names of several characters, flags removed, `s` and `i` scoped to their group.
    ['x(?<name_1>a)+y', undefined],
    ['x(?-im:a)+y', undefined],
    ['x\\n+(?i:.)+y', undefined],
    ['x\\n+(?s:(?-i:.))+y', /^adjacent quantifiers/],
    ['x(?i:(?-m:A))+a+y', /^adjacent quantifiers/],
    ['x(?i:!)+a+y', undefined],
    ['x.+\\u00e9+y', /^adjacent quantifiers/],
    ['x(?:a|\\u00e9)+\\u4e2d+y', /^adjacent quantifiers/],
    ['x[\\x7f-\\x80]+\\u0080+y', /^adjacent quantifiers/],
    ['x\\_+_+y', /^adjacent quantifiers/],
    ['x\\a+b+y', undefined],
    // The bounds' exact reasons.
    ['x\\d{1001,}', /^repetition bound 1001 above 1000$/],
    ['', /^empty pattern$/],
    // JavaScript's own message, one line, after the documented prefix.
    ['x(', /^does not compile: \/x\(\/g: Unterminated group$/],
  ])('%s', (pattern, reason) => {
    const r = checkCustomPattern(pattern);
    if (reason === undefined) expect(r, pattern).toBeUndefined();
    else expect(r, pattern).toMatch(reason);
  });

  it('group syntax JavaScript does not read as a group is refused with one line', () => {
    expect(checkCustomPattern('x(?<1a>b)y')).toMatch(/^does not compile: /);
    expect(checkCustomPattern('x(?x:b)y')).toMatch(/^does not compile: /);
    expect(checkCustomPattern('x\\')).toMatch(/^does not compile: /);
    expect(checkCustomPattern('x)')).toMatch(/^does not compile: /);
  });
});
