import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CQL, GENERIC_SQL, MYSQL, STRICT_SQL, sanitizeSql } from '../../../engine/sanitizers/sql-sanitizer';
import type { SqlDialect } from '../../../engine/sanitizers/sql-sanitizer';
import { fuzzParameters } from '../../assurance/fuzz-runs';
import { SQL_CASES } from './testdata/sql-cases';
import type { SqlDialectName } from './testdata/sql-cases';

const DIALECTS: Record<SqlDialectName, SqlDialect> = {
  generic: GENERIC_SQL,
  mysql: MYSQL,
  cql: CQL,
  strict: STRICT_SQL,
};
const ALL = fc.constantFrom<SqlDialectName>('generic', 'mysql', 'cql', 'strict');

describe('SQL sanitizer: hand-labeled rule edges (testdata/sql-cases.ts)', () => {
  it.each(SQL_CASES.map((c) => [`${c.dialect ?? 'generic'}: ${c.rule}`, c] as const))('%s', (_name, c) => {
    expect(sanitizeSql(c.input, DIALECTS[c.dialect ?? 'generic'])).toBe(c.expected);
  });
});

/** Any text; escaped for a quoted literal by doubling the quote and the backslash. */
const content = fc.string({
  unit: fc.oneof(
    fc.constantFrom("'", '"', '\\', '$', '*', '/', '-', '\n', ' '),
    fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
  ),
});

describe('SQL sanitizer: literal content never reaches the output (properties)', () => {
  it("a '…' literal (escaped by '' and \\\\) is one ?, whatever it holds, in every dialect", () => {
    fc.assert(
      fc.property(content, ALL, fc.constantFrom('', 'E', 'N', 'n', 'U&'), (text, d, prefix) => {
        const lit = `${prefix}'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
        expect(sanitizeSql(`SELECT a FROM t WHERE b = ${lit} AND c = d`, DIALECTS[d])).toBe(
          'SELECT a FROM t WHERE b = ? AND c = d',
        );
      }),
      fuzzParameters(300),
    );
  });

  it('a "…" string (MySQL: escaped by "" or \\"; strict: by "") is one ?, whatever it holds', () => {
    fc.assert(
      fc.property(content, fc.constantFrom<SqlDialectName>('mysql', 'strict'), fc.boolean(), (text, d, bs) => {
        const backslash = bs && d === 'mysql';
        const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, backslash ? '\\"' : '""');
        expect(sanitizeSql(`SELECT a FROM t WHERE b = "${escaped}" AND c = d`, DIALECTS[d])).toBe(
          'SELECT a FROM t WHERE b = ? AND c = d',
        );
      }),
      fuzzParameters(300),
    );
  });

  it('a dollar-quoted string is one ?, whatever it holds (any tag length)', () => {
    const tag = fc.stringMatching(/^([A-Za-z_][A-Za-z0-9_]{0,80})?$/);
    fc.assert(
      fc.property(content, tag, ALL, (text, t, d) => {
        fc.pre(!`${text}$${t}$`.slice(0, -1).includes(`$${t}$`));
        expect(sanitizeSql(`SELECT $${t}$${text}$${t}$, c FROM t`, DIALECTS[d])).toBe('SELECT ?, c FROM t');
      }),
      fuzzParameters(300),
    );
  });

  it('a comment is removed whatever it holds (block: no */ inside; line: no line break)', () => {
    fc.assert(
      fc.property(content, ALL, (text, d) => {
        const block = text.replace(/\*/g, '+');
        expect(sanitizeSql(`SELECT a /* ${block} */ FROM t`, DIALECTS[d])).toBe('SELECT a FROM t');
        const line = text.replace(/\n/g, ' ');
        expect(sanitizeSql(`SELECT a --${line}\nFROM t`, DIALECTS[d])).toBe('SELECT a FROM t');
        expect(sanitizeSql(`SELECT a FROM t --${line}`, DIALECTS[d])).toBe('SELECT a FROM t');
      }),
      fuzzParameters(300),
    );
  });

  it('a number of any shape becomes ? (a leading minus is kept as the operator)', () => {
    const digits = (min: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},12}$`));
    const decimal = fc
      .tuple(
        digits(1),
        fc.option(digits(0), { nil: undefined }),
        fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1)), { nil: undefined }),
      )
      .map(
        ([int, frac, exp]) => `${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : exp.join('')}`,
      );
    const leadingPoint = digits(1).map((f) => `.${f}`);
    const radix = fc
      .tuple(fc.constantFrom('0x', '0X', '0b', '0B'), fc.stringMatching(/^[0-9A-Fa-f][0-9A-Fa-f_]{0,15}$/))
      .map(([p, v]) => p + v);
    const separated = fc.array(digits(1), { minLength: 2, maxLength: 4 }).map((g) => g.join('_'));
    const number = fc.oneof(decimal, leadingPoint, radix, separated);
    fc.assert(
      fc.property(
        number,
        fc.constantFrom('', '-'),
        fc.constantFrom('=', '= ', '<', ' IN (', '+'),
        ALL,
        (num, sign, op, d) => {
          const close = op.includes('(') ? ')' : '';
          const out = sanitizeSql(`SELECT a FROM t WHERE b ${op}${sign}${num}${close} AND c = d`, DIALECTS[d]);
          expect(out).toBe(`SELECT a FROM t WHERE b ${op}${sign}?${close} AND c = d`);
        },
      ),
      fuzzParameters(400),
    );
  });

  it('an identifier keeps up to eight significant digits in a row; nine or more make it ?', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z_]{1,8}$/),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 14 }),
        fc.stringMatching(/^[a-z_]{0,4}$/),
        (head, zeros, count, tail) => {
          const run = '0'.repeat(zeros) + '7'.repeat(count);
          const name = `${head}${run}${tail}`;
          const out = sanitizeSql(`SELECT a FROM ${name} WHERE b = c`);
          expect(out).toBe(`SELECT a FROM ${count >= 9 ? '?' : name} WHERE b = c`);
        },
      ),
      fuzzParameters(200),
    );
  });
});
