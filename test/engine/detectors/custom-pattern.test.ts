import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CUSTOM_REPEAT_CAP,
  checkCustomPattern,
  compileCustomPattern,
  createCustomDetector,
} from '../../../engine/detectors/custom-pattern';
import type { Finding } from '../../../engine/detectors/types';

describe('checkCustomPattern', () => {
  it.each([
    'ORD-[0-9]{8}',
    'cust_[A-Za-z0-9]{24}',
    '\\bID\\d{6,10}\\b',
    '(?:a|b|c)+x',
    '(\\d{3}-){2}\\d{4}',
    '[a-z]+-[0-9]+',
    '\\w+@\\w+\\.com',
    'x(?=\\d+)\\d{2}',
    '[^"]*"',
    '(?i:ord)-\\d{8}',
    'tok_[\\w-]{20,40}',
    '^acct:\\d+$',
  ])('accepts %s', (p) => {
    expect(checkCustomPattern(p)).toBeUndefined();
  });

  it.each([
    ['(a+)+', /nested quantifiers/],
    ['(x+x+)+y', /./],
    ['^(([a-z])+.)+[A-Z]([a-z])+$', /nested quantifiers/],
    ['(.*a){12}', /nested quantifiers/],
    ['(\\s*,\\s*\\w+)*', /nested quantifiers/],
    ['(a|ab)*', /overlapping alternatives/],
    ['(?:ab|ac)+', /overlapping alternatives/],
    ['(a|)+', /empty/],
    ['\\d+\\d+', /adjacent quantifiers/],
    ['.*foo.*', /adjacent quantifiers/],
    ['\\w+\\s*\\w+', /adjacent quantifiers/],
    ['(\\w+)\\1', /backreferences/],
    ['(?<x>a)\\k<x>', /backreferences/],
    ['a{1,5000}', /above 1000/],
    ['a*', /empty string/],
    ['a|a*', /empty string/],
    ['(', /does not compile/],
    ['[', /does not compile/],
    ['a**', /does not compile/],
    ['', /empty/],
  ])('refuses %s', (p, reason) => {
    const r = checkCustomPattern(p);
    expect(r).toMatch(reason);
    expect(r).not.toContain('\n');
  });

  it('reads a character class written as a list: adjacent repetitions of overlapping lists are refused', () => {
    // [ab]+[bc]+ backtracks polynomially like \d+\d+; [ab]+[cd]+ does not.
    const list = fc.uniqueArray(fc.constantFrom(...'abcdefgh0123'), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(list, list, fc.constantFrom('+', '*', '{2,}'), (s, t, q) => {
        const pattern = `x[${s.join('')}]${q}[${t.join('')}]${q}y`;
        const overlap = s.some((c) => t.includes(c));
        const r = checkCustomPattern(pattern);
        if (overlap) expect(r, pattern).toMatch(/adjacent quantifiers/);
        else expect(r, pattern).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('caps unbounded repetitions', () => {
    expect(compileCustomPattern('ORD-\\d+')).toEqual({ ok: true, source: `ORD-\\d{1,${CUSTOM_REPEAT_CAP}}` });
    expect(compileCustomPattern('a*?b{2,}')).toEqual({
      ok: true,
      source: `a{0,${CUSTOM_REPEAT_CAP}}?b{2,${CUSTOM_REPEAT_CAP}}`,
    });
  });

  it('builds a detector that finds every match', () => {
    const d = createCustomDetector('order-id', 'ORD-\\d+');
    const out: Finding[] = [];
    d.find('ORD-1 and ORD-22', out);
    expect(out).toEqual([
      { start: 0, end: 5, type: 'order-id' },
      { start: 10, end: 16, type: 'order-id' },
    ]);
    expect(() => createCustomDetector('bad', '(a+)+')).toThrow(/bad/);
  });
});
