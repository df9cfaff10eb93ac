import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CQL, GENERIC_SQL, MYSQL, STRICT_SQL, sanitizeSql } from '../../../engine/sanitizers/sql-sanitizer';

// The SQL tokenizer's character classes, checked for every code unit against an oracle written from the lexical rules
// (PostgreSQL "Lexical Structure", MySQL "Schema Object Names"), not from the tokenizer: an identifier starts with a
// letter or `_` (any character beyond ASCII counts as a letter: non-Latin letters and letters with marks), continues
// with those, digits and `$`; white space is ASCII space, tab, line feed, vertical tab, form feed and carriage return.
const isLetter = (c: number): boolean => /^[A-Za-z_]$/.test(String.fromCharCode(c)) || c >= 0x80;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isIdentPart = (c: number): boolean => isLetter(c) || isDigit(c) || c === 0x24;
const isWhite = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 11 || c === 12 || c === 13;
/** Operator characters after which a double-quoted token is a value (docs/statements.md: `<`, `>`, `=`, `!`, `|`). */
const isComparisonTail = (c: number): boolean => '<>=!|'.includes(String.fromCharCode(c));

const UNITS = Array.from({ length: 0x300 }, (_, c) => c).concat([0x2028, 0x3000, 0xd800, 0xdfff, 0xfeff, 0xffff]);
const DIALECTS = [GENERIC_SQL, MYSQL, CQL, STRICT_SQL];
const hex = (c: number): string => `U+${c.toString(16).padStart(4, '0')}`;

describe('SQL tokenizer character classes, every code unit', () => {
  it('inside a name: a name with nine digits in a row is one value, a character that is no name part splits it', () => {
    for (const c of UNITS) {
      const out = sanitizeSql(`SELECT u${String.fromCharCode(c)}123456789 FROM t`);
      if (isIdentPart(c)) expect(out, hex(c)).toBe('SELECT ? FROM t');
      else expect(out.startsWith('SELECT u'), `${hex(c)}: ${out}`).toBe(true);
    }
  });

  it('at the start of a name: only a letter (or a digit, a number) takes the name with it', () => {
    for (const c of UNITS) {
      const out = sanitizeSql(`SELECT ${String.fromCharCode(c)}abc123456789 FROM t`);
      expect(out === 'SELECT ? FROM t', `${hex(c)}: ${out}`).toBe(isLetter(c) || isDigit(c));
    }
  });

  it('between an operator and a double-quoted token: white space keeps the operator next to the token', () => {
    for (const c of UNITS) {
      if (c === 34 || c === 39) continue; // quotes start a token of their own
      const out = sanitizeSql(`SELECT a =${String.fromCharCode(c)}"Jane" FROM t`);
      expect(out.includes('Jane'), `${hex(c)}: ${out}`).toBe(!(isWhite(c) || isComparisonTail(c)));
    }
  });

  it('digits: a digit after a point starts a number, any other character does not', () => {
    for (const c of UNITS) {
      const ch = String.fromCharCode(c);
      for (const d of DIALECTS) {
        const out = sanitizeSql(`SELECT a FROM t WHERE b = .${ch}`, d);
        if (isDigit(c)) expect(out, hex(c)).toBe('SELECT a FROM t WHERE b = ?');
        else if (!`"'\`$?[`.includes(ch)) expect(out.includes('?'), `${hex(c)}: ${out}`).toBe(false); // those start tokens of their own
      }
    }
  });
});

// What a backtick-quoted token holding a value is (sql-sanitizer.ts, `quotedIdentifierValueEnd`: "an e-mail or
// `user@host`, a number, a UUID, a long hex id"), written as plain string checks, compared with the tokenizer on
// generated tokens around each shape's edges (group lengths ±1, a sign, a fraction, a second `@`, a blank, one
// character more or less, upper case).
const HEX = '0123456789abcdefABCDEF';
const isHexText = (s: string): boolean => s.length > 0 && [...s].every((ch) => HEX.includes(ch));
const allDigits = (s: string): boolean => s.length > 0 && [...s].every((ch) => ch >= '0' && ch <= '9');
function isQuotedValue(s: string): boolean {
  const at = s.indexOf('@');
  const email = at > 0 && at < s.length - 1 && !s.includes('@', at + 1) && !/\s/.test(s);
  const unsigned = s.startsWith('+') || s.startsWith('-') ? s.slice(1) : s;
  const parts = unsigned.split('.');
  const number = parts.length <= 2 && parts.every(allDigits);
  const groups = s.split('-');
  const uuid = groups.map((g) => g.length).join() === '8,4,4,4,12' && groups.every(isHexText);
  const longHex = s.length >= 12 && isHexText(s) && /[0-9]/.test(s);
  return email || number || uuid || longHex;
}

describe('backtick tokens holding a value, against the documented shapes', () => {
  const hexRun = (min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...HEX.split('')), minLength: min, maxLength: max });
  /** A UUID group: hex digits, or (the other side of the class) letters that are no hex digit. */
  const group = (min: number, max: number) =>
    fc.oneof(
      hexRun(min, max),
      fc.string({ unit: fc.constantFrom(...'ghijklmnopqrstuvwxyz'.split('')), minLength: min, maxLength: max }),
    );
  const token = fc.oneof(
    fc
      .tuple(
        fc.stringMatching(/^[a-z0-9._%+-]{0,6}$/),
        fc.constantFrom('@', '@@', ' @', '@ '),
        fc.stringMatching(/^[a-z0-9.-]{0,8}$/),
      )
      .map(([l, a, d]) => `${l}${a}${d}`),
    fc
      .tuple(
        fc.constantFrom('', '+', '-', '--'),
        fc.stringMatching(/^\d{0,8}$/),
        fc.constantFrom('', '.', '.5', '.25', '..5', '.5.5'),
      )
      .map(([sign, int, frac]) => `${sign}${int}${frac}`),
    fc.tuple(group(7, 9), group(3, 5), group(3, 5), group(3, 5), group(11, 13)).map((groups) => groups.join('-')),
    hexRun(10, 14),
    fc.stringMatching(/^[a-z]{10,14}$/),
  );
  const edited = fc
    .tuple(token, fc.constantFrom('', 'x', 'g', ' ', '-', '.', '0', 'G'), fc.boolean(), fc.boolean())
    .map(([t, extra, atEnd, upper]) => {
      const s = atEnd ? t + extra : extra + t;
      return upper ? s.toUpperCase() : s;
    })
    .filter((s) => s.length > 0 && !/\d{9,}/.test(s) && !s.includes('`'));

  it('a backtick token is ? exactly when it has one of the shapes, else it stays as written', () => {
    fc.assert(
      fc.property(edited, (inner) => {
        const sql = `SELECT \`${inner}\` FROM t`;
        expect(sanitizeSql(sql)).toBe(isQuotedValue(inner) ? 'SELECT ? FROM t' : sql);
      }),
      { numRuns: 3000 },
    );
  });
});
