import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CQL, GENERIC_SQL, MYSQL, STRICT_SQL, sanitizeSql } from '../../../engine/sanitizers/sql-sanitizer';

// A password written unquoted after `IDENTIFIED BY`, a later `REPLACE`, or `PASSWORD` in a statement that creates or
// alters a user, a role or a login is the whole word up to a blank, `;` or the end (the outside attack of round 18:
// `IDENTIFIED BY hunter2#Fake` became `?#Fake`, `Fake-Pass-Word` `?-Pass-Word`: only the first SQL token was read).
// Every generated case has one answer: the statement with `?` for the password, everything else as written.

const DIALECTS = fc.constantFrom(GENERIC_SQL, MYSQL, STRICT_SQL, CQL);
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Characters an unquoted password holds besides letters and digits (no blank, `;`, quote, backtick or bracket). */
const PUNCT = '#$-./+!@%^&*_~:=,?()<>|\\{}';

/** A bare password: a letter or digit, then letters, digits and punctuation; never an option word. */
const password = fc
  .tuple(
    fc.constantFrom(...ALNUM),
    fc.string({ unit: fc.constantFrom(...ALNUM, ...PUNCT, ...PUNCT), minLength: 5, maxLength: 20 }),
  )
  .map(([a, b]) => a + b)
  .filter((pw) => !/^(?:expire|history|reuse|require|null)$/i.test(pw));

/** A keyword in upper, lower or mixed case. */
const kw = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((up) => [...word].map((ch, k) => (up[k] ? ch.toUpperCase() : ch.toLowerCase())).join(''));
/** One or more blanks between words (space, tab, line break). */
const blank = fc.constantFrom(' ', '  ', '\t', '\n', ' \r\n ');

/** Statement forms: a template whose `$` is the password (its expected output has `?` there). */
const forms = fc.constantFrom(
  ['ALTER USER app IDENTIFIED BY $', ''],
  ['ALTER USER app IDENTIFIED BY $', ' ACCOUNT UNLOCK'],
  ['ALTER USER app IDENTIFIED BY $', ';'],
  ['CREATE USER app IDENTIFIED BY $', ' DEFAULT TABLESPACE users QUOTA UNLIMITED ON users'],
  ['CREATE DATABASE LINK l CONNECT TO app IDENTIFIED BY $', " USING 'orcl'"],
  ['ALTER USER app IDENTIFIED WITH caching_sha2_password BY $', ''],
  ['CREATE ROLE app LOGIN PASSWORD $', ''],
  ['ALTER ROLE app WITH PASSWORD $', ' VALID UNTIL infinity'],
  ['CREATE LOGIN app WITH PASSWORD = $', ' MUST_CHANGE, CHECK_POLICY = OFF'],
);

describe('SQL sanitizer: a bare password is the whole word', () => {
  it('after IDENTIFIED BY, IDENTIFIED WITH … BY, PASSWORD and PASSWORD = (keywords in any case)', () => {
    fc.assert(
      fc.property(DIALECTS, forms, password, kw('identified'), kw('by'), (dialect, [form, tail], pw, id, by) => {
        const statement = form.replace('IDENTIFIED', id).replace(/\bBY\b/, by);
        const input = statement.replace('$', pw) + tail;
        const expected = statement.replace('$', '?') + tail.replace("'orcl'", '?');
        expect(sanitizeSql(input, dialect), JSON.stringify(input)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('a new and an old password (REPLACE), blanks of any kind between the words', () => {
    fc.assert(
      fc.property(DIALECTS, password, password, blank, (dialect, a, b, sp) => {
        const input = `ALTER${sp}USER app IDENTIFIED${sp}BY${sp}${a}${sp}REPLACE${sp}${b}`;
        expect(sanitizeSql(input, dialect), JSON.stringify(input)).toBe(
          `ALTER${sp}USER app IDENTIFIED${sp}BY${sp}?${sp}REPLACE${sp}?`,
        );
      }),
      { numRuns: 150 },
    );
  });

  it('look-alikes stay: password columns, option words, the words alone', () => {
    for (const statement of [
      'SELECT password FROM users WHERE id = ?',
      'UPDATE users SET password = ? WHERE id = ?',
      'SELECT u.password, u.email FROM users u ORDER BY password DESC',
      'ALTER TABLE users ADD password text',
      'CREATE TABLE users (id int, password text NOT NULL)',
      'ALTER USER app PASSWORD EXPIRE',
      'ALTER USER app PASSWORD EXPIRE NEVER',
      'ALTER USER app PASSWORD REQUIRE CURRENT OPTIONAL',
      'CREATE USER app WITH PASSWORD NULL',
      'SELECT identified, by FROM t',
      'SELECT * FROM t ORDER BY name',
      "SELECT REPLACE(name, 'a', 'b') FROM t",
    ]) {
      const want = statement.replace(/'[ab]'/g, '?');
      for (const dialect of [GENERIC_SQL, MYSQL, STRICT_SQL]) expect(sanitizeSql(statement, dialect)).toBe(want);
    }
  });
});
