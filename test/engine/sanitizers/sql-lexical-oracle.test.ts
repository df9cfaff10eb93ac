import { describe, expect, it } from 'vitest';
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
