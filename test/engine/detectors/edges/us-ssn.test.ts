import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SSN_CONTEXT } from '../../../../engine/detectors/us-ssn';
import { RUNS, defaultPolicyExport, edges } from './helpers';

// Rule edges of engine/detectors/us-ssn.ts against docs/detectors.md (`us-ssn` row), with random issuable numbers and
// contexts around them. The numbers are random, not anyone's.

const ssn = edges('us-ssn');
const pad = (v: number, n: number) => String(v).padStart(n, '0');
/** An issuable area, group and serial (not 000/666/900+, 00, 0000, nor the two advertised numbers). */
const parts = fc
  .tuple(fc.integer({ min: 1, max: 899 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .filter(([a, g, s]) => a !== 666 && !(a === 78 && g === 5 && s === 1120) && !(a === 219 && g === 9 && s === 9999))
  .map(([a, g, s]) => [pad(a, 3), pad(g, 2), pad(s, 4)] as const);
const SEPARATORS = ['-', '.', '_', '/', '\u2044', '\u2215', '\u29f8'];
const CONTEXT_WORDS = [
  'ssn',
  'social security',
  'social-security',
  'socialsecurity',
  'ss#',
  'ss no',
  'taxpayer',
  'tin',
  'itin',
];
const NOT_CONTEXT = ['xss#', 'ss nos', 'ss not', 'writing', 'tins', 'xtin', 'xitin', 'itins', 'social  security', 'sn'];

describe('us-ssn: separators', () => {
  it('a separator written twice or between blanks, the same in both gaps, is found; blanks alone need a keyword', () => {
    fc.assert(
      fc.property(parts, fc.constantFrom('--', '..', '__', ' - ', ' . ', '\t-\t'), ([a, g, s], gap) => {
        ssn.masks('x ', `${a}${gap}${g}${gap}${s}`, ' y');
        ssn.keeps(`x ${a}${gap}${g}-${s} y`); // not the same separator throughout
      }),
      RUNS,
    );
    fc.assert(
      fc.property(parts, fc.constantFrom('  ', '\t\t'), ([a, g, s], gap) => {
        ssn.masks('ssn ', `${a}${gap}${g}${gap}${s}`, ' y');
        ssn.keeps(`x ${a}${gap}${g}${gap}${s} y`);
      }),
      RUNS,
    );
    // a path of ids stays a path
    ssn.keeps('GET /a/123//45//6789');
  });

  it('one of - . _ / ⁄ ∕ ⧸ throughout is found anywhere; mixed separators are not', () => {
    fc.assert(
      fc.property(parts, fc.constantFrom(...SEPARATORS), fc.constantFrom(...SEPARATORS), ([a, g, s], x, y) => {
        ssn.masks('x ', `${a}${x}${g}${x}${s}`, ' y');
        if (x !== y) ssn.keeps(`x ${a}${x}${g}${y}${s} y`);
      }),
      RUNS,
    );
  });

  it('blanks and nine digits in a row only after a keyword', () => {
    fc.assert(
      fc.property(parts, fc.constantFrom(...CONTEXT_WORDS), fc.boolean(), ([a, g, s], w, upper) => {
        const kw = upper ? w.toUpperCase() : w;
        ssn.masks(`${kw} `, `${a} ${g} ${s}`, ' y');
        ssn.masks(`${kw}: `, `${a}${g}${s}`, ' y');
        ssn.keeps(`note ${a} ${g} ${s} y`);
        ssn.keeps(`note ${a}${g}${s} y`);
        ssn.keeps(`${kw} ${a}${g}${s}1 y`); // ten digits
        ssn.keeps(`${kw} ${a}${g}${s.slice(1)} y`); // eight
      }),
      { numRuns: 60 },
    );
  });

  it('every keyword of SSN_CONTEXT and the docs is one; no near miss is', () => {
    for (const w of CONTEXT_WORDS) expect(SSN_CONTEXT.test(` ${w} `), w).toBe(true);
    for (const w of NOT_CONTEXT) {
      expect(SSN_CONTEXT.test(` ${w} `), w).toBe(false);
      ssn.keeps(`${w} 123456789 y`);
    }
  });

  it('the keyword counts within 40 characters before the number, not 41', () => {
    fc.assert(
      fc.property(parts, fc.constantFrom('ssn', 'tin', 'taxpayer'), ([a, g, s], w) => {
        ssn.masks(w + ' '.repeat(40 - w.length), `${a}${g}${s}`);
        ssn.keeps(w + ' '.repeat(41 - w.length) + `${a}${g}${s}`);
      }),
      RUNS,
    );
  });
});

describe('us-ssn: issuable numbers only', () => {
  it('area 001-665, 667-899; group 01-99; serial 0001-9999; not the two advertised numbers', () => {
    fc.assert(
      fc.property(parts, ([, g, s]) => {
        for (const a of ['001', '665', '667', '899']) ssn.masks('x ', `${a}-${g}-${s}`);
        for (const a of ['000', '666', '900', '999']) ssn.keeps(`x ${a}-${g}-${s}`);
        ssn.keeps(`x 123-00-${s}`);
        ssn.masks('x ', `123-01-${s}`);
        ssn.keeps(`x 123-${g}-0000`);
        ssn.masks('x ', `123-${g}-0001`);
      }),
      RUNS,
    );
    ssn.keeps('x 078-05-1120');
    ssn.keeps('x 219-09-9999');
    for (const t of ['078-05-1121', '078-06-1120', '079-05-1120', '219-09-9998', '219-08-9999', '218-09-9999'])
      ssn.masks('x ', t);
    ssn.keeps('ssn 078051120');
  });
});

describe('us-ssn: left and right boundaries', () => {
  it('letters glued on either side, a word and _ / . before it, a word before - or +', () => {
    fc.assert(
      fc.property(
        parts,
        fc.constantFrom('SSN', 'id:A', 'ssn_', '/users/', 'customer.', 'v2.', '1.', ' -', ' +', '(', ''),
        // an index and a sentence dot after it (`.1.`, `.12. x`) end the number as the index alone does
        fc.constantFrom(
          'abc',
          '',
          '.visits',
          '_2026.csv',
          '.1',
          '.12',
          '.123',
          '.1.',
          '.12. x',
          '.123.x',
          ' x',
          '-x',
          ':',
          ')',
        ),
        ([a, g, s], before, after) => ssn.masks(before, `${a}-${g}-${s}`, after),
      ),
      RUNS,
    );
  });

  it('glued: a digit, a digit and _ or /, a word and - or +, a dotted sequence, a path of ids', () => {
    fc.assert(
      fc.property(parts, ([a, g, s]) => {
        for (const before of ['1', '1_', '2024/', 'ABC-', 'SKU+', '1-', '9+']) ssn.keeps(`${before}${a}-${g}-${s} y`);
        ssn.keeps(`x 1.${a}.${g}.${s} y`);
        ssn.keeps(`ssn 1.${a}${g}${s} y`); // nine digits after a decimal point
        ssn.masks('ssn x.', `${a}${g}${s}`, ' y');
        ssn.masks('x 1.', `${a}/${g}/${s}`, ' y');
        ssn.keeps(`x /users/${a}/${g}/${s} y`);
        ssn.masks('x /users/', `${a}-${g}-${s}`, ' y');
        for (const after of ['1', '-1', '.1234', '.1.2', '/1', ':1']) ssn.keeps(`x ${a}-${g}-${s}${after}`);
        ssn.keeps(`x ${a}.${g}.${s}.1 y`);
        ssn.keeps(`x ${a}_${g}_${s}_1 y`);
        ssn.masks('x ', `${a}_${g}_${s}`, '_x');
        ssn.masks('x ', `${a}-${g}-${s}`, '_1');
      }),
      RUNS,
    );
  });
});

describe('us-ssn: through real SDK providers with the default policy', () => {
  const exported = defaultPolicyExport();
  it('a number at each edge is not exported; its near miss is exported as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        parts,
        fc.constantFrom(['SSN', ''], ['customer.', '.1'], ['ssn ', ''], ['', '_2026.csv']),
        async ([a, g, s], [before, after]) => {
          const n = before === 'ssn ' ? `${a}${g}${s}` : `${a}-${g}-${s}`;
          expect(await exported(`${before}${n}${after}`)).not.toContain(n);
          const near = `ABC-${a}-${g}-${s}`;
          expect(await exported(`sku ${near}`)).toContain(near);
        },
      ),
      { numRuns: 12 },
    );
  });
});
