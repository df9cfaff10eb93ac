import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CQL, GENERIC_SQL, MYSQL, STRICT_SQL, sanitizeSql } from '../../../engine/sanitizers/sql-sanitizer';
import { fuzzParameters } from '../../assurance/fuzz-runs';

describe('sanitizeSql', () => {
  it.each<[string, string, string]>([
    // string literals
    ['single-quoted', "SELECT * FROM users WHERE email = 'jane@example.com'", 'SELECT * FROM users WHERE email = ?'],
    ['doubled quote', "SELECT 'it''s'", 'SELECT ?'],
    ['backslash escape: read both ways, to the end', "SELECT 'it\\'s' FROM t", 'SELECT ?'],
    ['E string', "SELECT E'a\\nb'", 'SELECT ?'],
    ['N string', "SELECT * FROM [Users] WHERE [Email] = N'x@example.com'", 'SELECT * FROM [Users] WHERE [Email] = ?'],
    ['hex string', "SELECT X'DEADBEEF'", 'SELECT ?'],
    ['bit string', "SELECT B'1010'", 'SELECT ?'],
    ['unicode string', "SELECT U&'d\\0061t\\+000061'", 'SELECT ?'],
    ['empty string', "SELECT ''", 'SELECT ?'],
    ['dollar quoted', "SELECT $$it's$$", 'SELECT ?'],
    ['tagged dollar quoted', 'CREATE FUNCTION f() AS $body$ SELECT 1 $body$', 'CREATE FUNCTION f() AS ?'],
    ['mysql double-quoted value', 'SELECT * FROM t WHERE name = "Jane Doe"', 'SELECT * FROM t WHERE name = ?'],
    ['double-quoted email', 'SELECT "jane@example.com"', 'SELECT ?'],
    ['like pattern', "SELECT * FROM t WHERE n LIKE '%jane%'", 'SELECT * FROM t WHERE n LIKE ?'],
    ['like double-quoted', 'SELECT * FROM t WHERE n LIKE "%x%"', 'SELECT * FROM t WHERE n LIKE ?'],
    // numbers
    ['integers', 'SELECT * FROM t WHERE id = 42 AND age > 18', 'SELECT * FROM t WHERE id = ? AND age > ?'],
    ['decimals and exponents', 'SELECT 1.5, .5, 1e10, 2.5E-3', 'SELECT ?, ?, ?, ?'],
    ['hex and binary numbers', 'SELECT 0x1F, 0b101', 'SELECT ?, ?'],
    ['negative number', 'SELECT -3', 'SELECT -?'],
    ['limit offset', 'SELECT * FROM t LIMIT 10 OFFSET 20', 'SELECT * FROM t LIMIT ? OFFSET ?'],
    ['digits in identifiers kept', 'SELECT t1.col2 FROM table1 t1', 'SELECT t1.col2 FROM table1 t1'],
    // IN lists
    ['IN numbers', 'SELECT * FROM t WHERE id IN (1, 2, 3)', 'SELECT * FROM t WHERE id IN (?)'],
    ['IN strings', "SELECT * FROM t WHERE s IN ('a','b')", 'SELECT * FROM t WHERE s IN (?)'],
    ['IN placeholders', 'SELECT * FROM t WHERE s IN (?, ?, ?)', 'SELECT * FROM t WHERE s IN (?)'],
    ['NOT IN', 'SELECT * FROM t WHERE s NOT IN (1,2)', 'SELECT * FROM t WHERE s NOT IN (?)'],
    ['IN numbered placeholders kept', 'SELECT * FROM t WHERE s IN ($1, $2)', 'SELECT * FROM t WHERE s IN ($1, $2)'],
    [
      'IN subquery',
      'SELECT * FROM t WHERE x IN (SELECT y FROM u WHERE z = 5)',
      'SELECT * FROM t WHERE x IN (SELECT y FROM u WHERE z = ?)',
    ],
    ['IN double-quoted values', 'SELECT * FROM t WHERE x IN ("a", "b")', 'SELECT * FROM t WHERE x IN (?)'],
    ['VALUES tuples', 'INSERT INTO t (a, b) VALUES (1, \'x\'), (2, "y")', 'INSERT INTO t (a, b) VALUES (?, ?), (?, ?)'],
    // comments
    ['line comment', "SELECT 1 -- user 'jane'\nFROM t", 'SELECT ? FROM t'],
    ['block comment', 'SELECT /* jane@example.com */ a FROM t', 'SELECT a FROM t'],
    ['hint comment', 'SELECT /*+ INDEX(t i) */ a FROM t', 'SELECT a FROM t'],
    ['hash comment', 'UPDATE t SET a = 1 # set by jane\nWHERE b = 2', 'UPDATE t SET a = ? WHERE b = ?'],
    ['hash temp table kept', 'SELECT * FROM #temp', 'SELECT * FROM #temp'],
    ['trailing comment', 'SELECT a FROM t -- done', 'SELECT a FROM t'],
    // identifiers, keywords, placeholders kept
    [
      'quoted identifiers',
      'select "id", "name" from "users" where "email" = $1',
      'select "id", "name" from "users" where "email" = $1',
    ],
    [
      'backtick identifiers',
      'SELECT `order` FROM `shop`.`orders` WHERE `id` = ?',
      'SELECT `order` FROM `shop`.`orders` WHERE `id` = ?',
    ],
    [
      'named placeholders',
      'SELECT * FROM t WHERE a = :name AND b = @p AND c = %s AND d = %(e)s',
      'SELECT * FROM t WHERE a = :name AND b = @p AND c = %s AND d = %(e)s',
    ],
    ['casts kept', "SELECT '1'::int, a::text FROM t", 'SELECT ?::int, a::text FROM t'],
    [
      'null and booleans kept',
      'SELECT * FROM t WHERE a IS NULL AND b = TRUE',
      'SELECT * FROM t WHERE a IS NULL AND b = TRUE',
    ],
    ['operators', 'SELECT a||b, c<>d, e>=f FROM t', 'SELECT a||b, c<>d, e>=f FROM t'],
    ['json operators', "SELECT data->>'email' FROM t", 'SELECT data->>? FROM t'],
    ['no literals', 'SELECT a, b FROM t JOIN u ON t.id = u.tid', 'SELECT a, b FROM t JOIN u ON t.id = u.tid'],
    // malformed input never throws, fails closed
    ['unterminated string', "SELECT * FROM t WHERE a = 'jane@exa", 'SELECT * FROM t WHERE a = ?'],
    ['unterminated comment', 'SELECT 1 /* secret', 'SELECT ?'],
    ['unterminated dollar quote', 'SELECT $x$ secret', 'SELECT ?'],
    ['unterminated identifier', 'SELECT "abc', 'SELECT ?'],
    ['unbalanced parens', 'SELECT ((1', 'SELECT ((?'],
    ['stray close paren', 'SELECT 1)) FROM', 'SELECT ?)) FROM'],
    ['empty', '', ''],
    ['only whitespace', '   \n ', ''],
    ['not sql', 'hello world', 'hello world'],
    ['lone quote', "'", '?'],
    ['lone dollar', 'SELECT $', 'SELECT $'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeSql(input)).toBe(expected);
  });

  it('never throws on non-string input', () => {
    expect(sanitizeSql(null as unknown as string)).toBeNull();
  });
});

describe('a quoted literal after `&`', () => {
  // `U&'…'` (one letter `U`) is a Unicode string literal; after any other identifier `&` is the bitwise and, so the
  // identifier is kept and only the literal is replaced.
  const column = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,11}$/).filter((c) => !/^u$/i.test(c));
  const literal = fc.stringMatching(/^[A-Za-z0-9 @.]{0,12}$/).map((v) => `'${v}'`);
  const dialect = fc.constantFrom(GENERIC_SQL, MYSQL, CQL, STRICT_SQL);

  it('keeps the identifier before `&` and replaces the literal', () => {
    fc.assert(
      fc.property(column, literal, fc.constantFrom('', ' '), dialect, (col, lit, blank, d) => {
        const sql = `SELECT id FROM t WHERE ${col}${blank}&${blank}${lit} <> 0`;
        expect(sanitizeSql(sql, d)).toBe(`SELECT id FROM t WHERE ${col}${blank}&${blank}? <> ?`);
      }),
      fuzzParameters(200),
    );
  });

  it("replaces a Unicode string literal U&'…' whole", () => {
    fc.assert(
      fc.property(fc.constantFrom('U', 'u'), literal, dialect, (u, lit, d) => {
        expect(sanitizeSql(`SELECT ${u}&${lit} FROM t`, d)).toBe('SELECT ? FROM t');
      }),
      fuzzParameters(50),
    );
  });
});

describe('sanitizeSql: bracket identifiers (SQL Server)', () => {
  // A name in brackets may hold blanks, dashes, dots and digits (`[Sales 2024]`, `[Q1-2024]`): it is a name, kept whole.
  const word = fc.oneof(fc.stringMatching(/^[A-Za-z][A-Za-z_]{0,9}$/), fc.stringMatching(/^[0-9]{1,6}$/));
  const name = fc
    .tuple(
      fc.stringMatching(/^[A-Za-z][A-Za-z_]{0,9}$/),
      fc.array(fc.tuple(fc.constantFrom(' ', '-', '.'), word), { minLength: 1, maxLength: 4 }),
    )
    .map(([first, rest]) => `[${first}${rest.map(([sep, w]) => sep + w).join('')}]`);

  it('keeps the name as written wherever it is used; the values are masked', () => {
    fc.assert(
      fc.property(name, name, fc.integer({ min: 1, max: 99999 }), (column, table, value) => {
        const sql = `SELECT ${column}, id FROM ${table} WHERE ${column} = ${value}`;
        expect(sanitizeSql(sql)).toBe(`SELECT ${column}, id FROM ${table} WHERE ${column} = ?`);
      }),
      { numRuns: 200 },
    );
  });
});

describe('sanitizeSql: a double-quoted value after any comparison-like operator run', () => {
  // `"Jane Doe"` after `=`, `<>` or `<=>` is a value (MySQL strings); so it is after a run a client wrote by mistake
  // (`===`, `!==`, `====`, `@>=`), however long, and the value is masked, glued to it or not.
  const run = fc
    .tuple(
      fc.constantFrom('', '', '@', '~', '&', '^'),
      fc.array(fc.constantFrom('<', '>', '=', '!', '|'), { minLength: 1, maxLength: 6 }),
    )
    .map(([first, cs]) => first + cs.join(''));
  const name = fc
    .tuple(fc.stringMatching(/^[A-Z][a-z]{1,8}$/), fc.stringMatching(/^[A-Z][a-z]{1,8}$/))
    .map(([a, b]) => `${a} ${b}`);

  it('is masked in every dialect', () => {
    fc.assert(
      fc.property(
        run,
        name,
        fc.constantFrom('', ' '),
        fc.constantFrom(GENERIC_SQL, CQL, MYSQL, STRICT_SQL),
        (op, value, gap, dialect) => {
          const out = sanitizeSql(`SELECT id FROM users WHERE name ${op}${gap}"${value}"`, dialect);
          expect(out).toBe(`SELECT id FROM users WHERE name ${op}${gap}?`);
        },
      ),
      { numRuns: 300 },
    );
  });
});
