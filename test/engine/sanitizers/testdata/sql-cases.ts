/**
 * Hand-labeled SQL sanitizer cases, written from the rules in docs/statements.md ("What each family keeps": SQL,
 * MySQL, CQL and the strict fallback) and the tokenizer's comments, not from its output. Each rule has the case at its
 * edge and the nearest case on the other side. `dialect`: which reading (`generic` is PostgreSQL/SQL Server/…).
 */
export type SqlDialectName = 'generic' | 'mysql' | 'cql' | 'strict';

export interface SqlCase {
  readonly rule: string;
  readonly input: string;
  readonly expected: string;
  readonly dialect?: SqlDialectName;
}

const a128 = 'a'.repeat(128);
const a129 = 'a'.repeat(129);
const tag64 = 't'.repeat(64);
const tag65 = 't'.repeat(65);
const bracket129 = `Sales${'x'.repeat(119)} 2024`; // 129 characters between the brackets
const bracket130 = `Sales${'x'.repeat(120)} 2024`; // 130
const local244 = 'j'.repeat(244); // `${local244}@example.com` is 256 characters

export const SQL_CASES: readonly SqlCase[] = [
  // Single-quoted strings: `''` escapes, a quote after it ends the literal.
  { rule: "'' inside a literal", input: "SELECT 'it''s jane' FROM t", expected: 'SELECT ? FROM t' },
  { rule: "'' at the end of a literal", input: "SELECT 'jane''' FROM t", expected: 'SELECT ? FROM t' },
  { rule: "'' is an empty literal", input: "SELECT '', a FROM t", expected: 'SELECT ?, a FROM t' },
  { rule: 'two literals are not one', input: "SELECT 'a', b, 'c' FROM t", expected: 'SELECT ?, b, ? FROM t' },
  { rule: "''''", input: "SELECT '''' FROM t", expected: 'SELECT ? FROM t' },
  { rule: '\\\\ escapes the backslash, the quote ends', input: "SELECT 'c:\\\\', b FROM t", expected: 'SELECT ?, b FROM t' },
  { rule: "MySQL: \\' escapes the quote", dialect: 'mysql', input: "SELECT 'o\\'brien', b FROM t", expected: 'SELECT ?, b FROM t' },
  { rule: "generic: \\' read both ways: to the end", input: "SELECT 'o\\'brien', b FROM t", expected: 'SELECT ?' },
  // A backslash before the closing quote: PostgreSQL (standard strings), SQL Server, Oracle, SQLite and CQL end the
  // literal there, MySQL reads an escaped quote. Where the two readings end the literal at different places, the
  // generic, CQL and strict readings run the literal to the end (fail closed); MySQL reads the escape.
  { rule: "generic: '…\\' then a second literal", input: "UPDATE t SET p = 'C:\\' WHERE owner = 'jane doe'", expected: 'UPDATE t SET p = ?' },
  { rule: "CQL: '…\\' then a second literal", dialect: 'cql', input: "UPDATE t SET p = 'C:\\' WHERE owner = 'jane doe'", expected: 'UPDATE t SET p = ?' },
  { rule: "strict: '…\\' then a second literal", dialect: 'strict', input: "UPDATE t SET p = 'C:\\' WHERE owner = 'jane doe'", expected: 'UPDATE t SET p = ?' },
  { rule: "MySQL: \\' is an escaped quote", dialect: 'mysql', input: "UPDATE t SET n = 'O\\'Brien jane' WHERE id = 1", expected: 'UPDATE t SET n = ? WHERE id = ?' },
  { rule: "generic: E'' reads \\' as an escape", input: "SELECT E'O\\'Brien jane', b FROM t", expected: 'SELECT ?, b FROM t' },
  { rule: 'generic: a backslash not before a quote', input: "SELECT 'C:\\temp', b FROM t", expected: 'SELECT ?, b FROM t' },
  {
    rule: 'generic: \\" in a double-quoted value',
    input: 'SELECT a FROM t WHERE b = "O\\"Brien Jane" AND c = 1',
    expected: 'SELECT a FROM t WHERE b = ?',
  },
  // Prefixed literals: one letter E N X B R (any case), or U&.
  { rule: "e'' lower case", input: "SELECT e'jane\\n' FROM t", expected: 'SELECT ? FROM t' },
  { rule: "n'' lower case", input: "SELECT n'jane' FROM t", expected: 'SELECT ? FROM t' },
  { rule: "x'' lower case", input: "SELECT x'0a1b' FROM t", expected: 'SELECT ? FROM t' },
  { rule: "b'' lower case", input: "SELECT b'0101' FROM t", expected: 'SELECT ? FROM t' },
  { rule: "R'' (BigQuery raw string)", input: "SELECT R'jane\\d' FROM t", expected: 'SELECT ? FROM t' },
  { rule: "u&'' lower case", input: "SELECT u&'jane' FROM t", expected: 'SELECT ? FROM t' },
  { rule: "two letters before '': an identifier, then a literal", input: "SELECT ab'jane' FROM t", expected: 'SELECT ab? FROM t' },
  { rule: "a letter not a prefix before ''", input: "SELECT q'jane' FROM t", expected: 'SELECT q? FROM t' },
  { rule: "U & '' with blanks is not the prefix", input: "SELECT U & 'jane' FROM t", expected: 'SELECT U & ? FROM t' },
  { rule: 'U& at the end', input: 'SELECT U&', expected: 'SELECT U&' },
  { rule: "two letters before '', the first a prefix letter: an identifier", input: "SELECT Nx'jane' FROM t", expected: 'SELECT Nx? FROM t' },
  { rule: "u= before '' is no U& prefix", input: "SELECT a FROM t WHERE u='jane'", expected: 'SELECT a FROM t WHERE u=?' },
  { rule: 'u& before a number is no U& prefix', input: 'SELECT a FROM t WHERE b = u&4', expected: 'SELECT a FROM t WHERE b = u&?' },
  { rule: "generic: N'' reads \\' both ways like '' (only E reads escapes): to the end", input: "SELECT N'o\\'brien', b FROM t", expected: 'SELECT ?' },
  { rule: "generic: e'' (lower case) reads \\' as an escape", input: "SELECT e'O\\'Brien jane', b FROM t", expected: 'SELECT ?, b FROM t' },
  // Comments and unquoted UUIDs: a * inside a comment, and 8-4-4-4-12 shapes that are no UUID (read token by token).
  { rule: 'a * inside a block comment does not end it', input: 'SELECT a /* x * y */ FROM t', expected: 'SELECT a FROM t' },
  { rule: 'strict: a * inside a block comment does not end it', dialect: 'strict', input: 'SELECT a /* x * y */ FROM t', expected: 'SELECT a FROM t' },
  { rule: 'a UUID shape with a . in its last group: numbers', input: 'SELECT a FROM t WHERE b = 11111111-1111-1111-1111-11111111.111', expected: 'SELECT a FROM t WHERE b = ?-?-?-?-?' },
  { rule: 'a UUID shape with a : in its last group: numbers', input: 'SELECT a FROM t WHERE b = 11111111-1111-1111-1111-1111111111:1', expected: 'SELECT a FROM t WHERE b = ?-?-?-?-?:?' },
  { rule: 'a hex digit where the second - belongs: no UUID', input: 'SELECT a FROM t WHERE b = 11111111-1111a1111-1111-111111111111', expected: 'SELECT a FROM t WHERE b = ?-?-?-?' },
  { rule: 'a group that is no hex: no UUID', input: 'SELECT a FROM t WHERE b = 11111111-zzzz-1111-1111-111111111111', expected: 'SELECT a FROM t WHERE b = ?-zzzz-?-?-?' },
  // Dollar quotes.
  { rule: 'a $ before a name with no closing $ is no tag (SQL Server $IDENTITY)', input: 'SELECT $IDENTITY FROM t WHERE a = 1', expected: 'SELECT $IDENTITY FROM t WHERE a = ?' },
  { rule: '$$ with a $ inside', input: 'SELECT $$a$b jane$$, c FROM t', expected: 'SELECT ?, c FROM t' },
  { rule: 'tag with digits', input: 'SELECT $t1$ jane $t2$ doe $t1$, c FROM t', expected: 'SELECT ?, c FROM t' },
  { rule: 'a different tag does not close', input: 'SELECT $a$ jane $b$, c', expected: 'SELECT ?' },
  { rule: 'tag of 64 characters', input: `SELECT $${tag64}$ jane $${tag64}$, c`, expected: 'SELECT ?, c' },
  { rule: 'tag of 65 characters (PostgreSQL has no tag length limit)', input: `SELECT $${tag65}$ jane $${tag65}$, c`, expected: 'SELECT ?, c' },
  { rule: '$1 is a placeholder, not a tag', input: 'SELECT $1, $12 FROM t', expected: 'SELECT $1, $12 FROM t' },
  // Comments.
  { rule: '-- at the end without a newline', input: 'SELECT a FROM t -- jane', expected: 'SELECT a FROM t' },
  { rule: '-- then a newline', input: 'SELECT a -- jane\nFROM t', expected: 'SELECT a FROM t' },
  { rule: '-- glued, then CRLF', input: 'SELECT a--jane\r\nFROM t', expected: 'SELECT a FROM t' },
  { rule: 'one - is an operator', input: 'SELECT a - 1, b-2 FROM t', expected: 'SELECT a - ?, b-? FROM t' },
  { rule: '# then a blank is a comment', input: 'SELECT a # jane\nFROM t', expected: 'SELECT a FROM t' },
  { rule: '# then a tab is a comment', input: 'SELECT a #\tjane\nFROM t', expected: 'SELECT a FROM t' },
  { rule: '# at the very end is a comment', input: 'SELECT a FROM t #', expected: 'SELECT a FROM t' },
  { rule: '# then a letter is a name', input: 'SELECT a FROM #jane', expected: 'SELECT a FROM #jane' },
  { rule: 'block comment at the end', input: 'SELECT a FROM t /* jane */', expected: 'SELECT a FROM t' },
  { rule: 'block comment glued: one blank stands in', input: 'SELECT a/* jane */b FROM t', expected: 'SELECT a b FROM t' },
  { rule: '/*/ does not close', input: "SELECT a /*/ 'jane' 42 */ FROM t", expected: 'SELECT a FROM t' },
  { rule: 'nested: closes at the matching */', input: 'SELECT a /* x /* y */ jane */ FROM t', expected: 'SELECT a FROM t' },
  { rule: 'MySQL: does not nest', dialect: 'mysql', input: 'SELECT a /* x /* y */ b */ FROM t', expected: 'SELECT a b */ FROM t' },
  { rule: 'second comment unterminated', input: 'SELECT 1 /* a */ /* jane', expected: 'SELECT ?' },
  { rule: 'generic: // is not a comment', input: 'SELECT a // b FROM t', expected: 'SELECT a // b FROM t' },
  { rule: 'CQL: // comment to the end', dialect: 'cql', input: 'SELECT a FROM t // jane', expected: 'SELECT a FROM t' },
  { rule: 'CQL: // comment then a newline', dialect: 'cql', input: 'SELECT a // jane\nFROM t', expected: 'SELECT a FROM t' },
  { rule: 'strict: // comment', dialect: 'strict', input: 'SELECT a // jane\nFROM t', expected: 'SELECT a FROM t' },
  { rule: 'CQL: one / is division', dialect: 'cql', input: 'SELECT a / b FROM t', expected: 'SELECT a / b FROM t' },
  // Numbers.
  { rule: 'exponent with sign', input: 'SELECT 1.5e-3, 2E+10, 3e7 FROM t', expected: 'SELECT ?, ?, ? FROM t' },
  { rule: 'a dangling exponent letter is part of the number', input: 'SELECT 1e FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'decimal point at the end', input: 'SELECT 5. FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'leading point', input: 'SELECT .5, -.25 FROM t', expected: 'SELECT ?, -? FROM t' },
  { rule: 'negative numbers: the sign is kept', input: 'SELECT * FROM t WHERE a = -42 AND b=-1.5', expected: 'SELECT * FROM t WHERE a = -? AND b=-?' },
  { rule: 'upper-case hex', input: 'SELECT 0X1F, 0xdeadBEEF FROM t', expected: 'SELECT ?, ? FROM t' },
  { rule: 'binary', input: 'SELECT 0B1010 FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'digit separators', input: 'SELECT 1_000_000 FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'digit separators then a fraction', input: 'SELECT 1_000.5 FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'suffix letters belong to the number', input: 'SELECT 123L, 10abc FROM t', expected: 'SELECT ?, ? FROM t' },
  { rule: 'a point then a letter is no number', input: 'SELECT t.a FROM t', expected: 'SELECT t.a FROM t' },
  // Identifiers with digits: eight significant digits stay, nine become `?`.
  { rule: 'identifier with 8 digits', input: 'SELECT a FROM user_12345678', expected: 'SELECT a FROM user_12345678' },
  { rule: 'identifier with 9 digits', input: 'SELECT a FROM user_123456789', expected: 'SELECT a FROM ?' },
  { rule: 'leading zeros not counted (8)', input: 'SELECT a FROM user_00012345678', expected: 'SELECT a FROM user_00012345678' },
  { rule: 'leading zeros not counted (9)', input: 'SELECT a FROM user_000123456789', expected: 'SELECT a FROM ?' },
  { rule: 'quoted identifier with 8 digits', input: 'SELECT "cust_20255501" FROM t', expected: 'SELECT "cust_20255501" FROM t' },
  { rule: 'quoted identifier with 9 digits', input: 'SELECT "cust_202555014" FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'backtick identifier with 9 digits', input: 'SELECT `cust_202555014` FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'bracket identifier with 9 digits', input: 'SELECT [cust_202555014] FROM t', expected: 'SELECT ? FROM t' },
  // Unquoted UUIDs.
  { rule: 'UUID', input: 'SELECT a FROM t WHERE id = 123e4567-e89b-12d3-a456-426614174000', expected: 'SELECT a FROM t WHERE id = ?' },
  { rule: 'UUID in upper case then a comma', input: 'SELECT 123E4567-E89B-12D3-A456-426614174000, b', expected: 'SELECT ?, b' },
  {
    rule: 'UUID with a name glued after it is not a UUID',
    input: 'SELECT 123e4567-e89b-12d3-a456-426614174000abc',
    expected: 'SELECT ?-e89b-?-a456-?',
  },
  { rule: 'UUID glued to a name is not a UUID', input: 'SELECT a FROM t WHERE id = x23e4567-e89b-12d3-a456-426614174000', expected: 'SELECT a FROM t WHERE id = x23e4567-e89b-?-a456-?' },
  // IN lists.
  { rule: 'IN one value', input: 'SELECT a FROM t WHERE b IN (1)', expected: 'SELECT a FROM t WHERE b IN (?)' },
  { rule: 'IN empty list kept', input: 'SELECT a FROM t WHERE b IN ()', expected: 'SELECT a FROM t WHERE b IN ()' },
  { rule: 'IN without a blank, lower case', input: "select a from t where b in('x','y')", expected: 'select a from t where b in(?)' },
  { rule: 'IN literals and ? placeholders', input: "SELECT a FROM t WHERE b IN ('x', ?, 3)", expected: 'SELECT a FROM t WHERE b IN (?)' },
  { rule: 'IN with a column: values masked one by one', input: 'SELECT a FROM t WHERE b IN (1, c)', expected: 'SELECT a FROM t WHERE b IN (?, c)' },
  { rule: 'IN with a named placeholder', input: 'SELECT a FROM t WHERE b IN (:p, 2)', expected: 'SELECT a FROM t WHERE b IN (:p, ?)' },
  { rule: 'IN with an expression', input: 'SELECT a FROM t WHERE b IN (1 + 2)', expected: 'SELECT a FROM t WHERE b IN (? + ?)' },
  { rule: 'IN with a nested tuple', input: 'SELECT a FROM t WHERE b IN ((1), 2)', expected: 'SELECT a FROM t WHERE b IN ((?), ?)' },
  { rule: 'IN after a comment', input: 'SELECT a FROM t WHERE b IN /* ids */ (1, 2)', expected: 'SELECT a FROM t WHERE b IN (?)' },
  { rule: 'two IN lists', input: 'SELECT a FROM t WHERE b IN (1, 2) AND c IN (3, 4)', expected: 'SELECT a FROM t WHERE b IN (?) AND c IN (?)' },
  { rule: 'INTO is not IN', input: 'INSERT INTO t (1, 2)', expected: 'INSERT INTO t (?, ?)' },
  { rule: 'a word between IN and (', input: 'SELECT a FROM t WHERE b IN x (1, 2)', expected: 'SELECT a FROM t WHERE b IN x (?, ?)' },
  // Double-quoted tokens: identifier or value by position and shape.
  { rule: 'identifier-shaped, 128 characters: a name', input: `SELECT "${a128}" FROM t`, expected: `SELECT "${a128}" FROM t` },
  { rule: 'identifier-shaped, 129 characters: a value', input: `SELECT "${a129}" FROM t`, expected: 'SELECT ? FROM t' },
  { rule: 'name with a blank, dot and dash', input: 'SELECT "Order Details.v-2" FROM t', expected: 'SELECT "Order Details.v-2" FROM t' },
  { rule: 'starts with a digit: a value', input: 'SELECT "1jane" FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'starts with _: a name', input: 'SELECT "_jane" FROM t', expected: 'SELECT "_jane" FROM t' },
  { rule: 'holds @: a value', input: 'SELECT "jane@x" FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'empty: a value', input: 'SELECT "" FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'after ILIKE', input: 'SELECT a FROM t WHERE b ILIKE "Jane"', expected: 'SELECT a FROM t WHERE b ILIKE ?' },
  { rule: 'after BETWEEN (first bound)', input: 'SELECT a FROM t WHERE b BETWEEN "Jane" AND c', expected: 'SELECT a FROM t WHERE b BETWEEN ? AND c' },
  { rule: 'after THEN and ELSE', input: 'SELECT CASE WHEN a THEN "Jane" ELSE "Doe" END FROM t', expected: 'SELECT CASE WHEN a THEN ? ELSE ? END FROM t' },
  { rule: 'after ESCAPE, REGEXP, RLIKE', input: 'SELECT a FROM t WHERE b REGEXP "Jane" OR c RLIKE "Doe" OR d LIKE ? ESCAPE "x"', expected: 'SELECT a FROM t WHERE b REGEXP ? OR c RLIKE ? OR d LIKE ? ESCAPE ?' },
  { rule: 'after AS: a name', input: 'SELECT a AS "Jane" FROM t', expected: 'SELECT a AS "Jane" FROM t' },
  { rule: 'after >=', input: 'SELECT a FROM t WHERE b >= "Jane"', expected: 'SELECT a FROM t WHERE b >= ?' },
  { rule: 'after +: a name', input: 'SELECT a + "Jane" FROM t', expected: 'SELECT a + "Jane" FROM t' },
  { rule: 'after ||', input: 'SELECT a || "Jane" FROM t', expected: 'SELECT a || ?' + ' FROM t' },
  { rule: 'after (: a name', input: 'SELECT count("Jane") FROM t', expected: 'SELECT count("Jane") FROM t' },
  { rule: 'VALUES: a value at depth 1', input: 'INSERT INTO t ("a") VALUES ("Jane")', expected: 'INSERT INTO t ("a") VALUES (?)' },
  { rule: 'VALUES: in a function call', input: 'INSERT INTO t VALUES (lower("Jane"))', expected: 'INSERT INTO t VALUES (lower(?))' },
  { rule: 'VALUES: ended by the next word', input: 'INSERT INTO t VALUES (1) RETURNING "id"', expected: 'INSERT INTO t VALUES (?) RETURNING "id"' },
  { rule: 'VALUES: every tuple', input: 'INSERT INTO t VALUES ("a"), ("b")', expected: 'INSERT INTO t VALUES (?), (?)' },
  {
    rule: 'VALUES: ended by the next word, also for a later (',
    input: 'INSERT INTO t VALUES (1) ON CONFLICT ("email") DO NOTHING',
    expected: 'INSERT INTO t VALUES (?) ON CONFLICT ("email") DO NOTHING',
  },
  { rule: 'IN: double-quoted names after a column are values', input: 'SELECT a FROM t WHERE b IN (c, "Jane")', expected: 'SELECT a FROM t WHERE b IN (c, ?)' },
  { rule: 'IN: a double-quoted name inside a call in the list is a name, and the list stays', input: "SELECT a FROM t WHERE b IN (lower(\"Name\"), 'jane')", expected: 'SELECT a FROM t WHERE b IN (lower("Name"), ?)' },
  { rule: 'VALUES: ended by the next word, also two levels deep', input: 'INSERT INTO t (a) VALUES (1) RETURNING coalesce(f("Total"), 0)', expected: 'INSERT INTO t (a) VALUES (?) RETURNING coalesce(f("Total"), ?)' },
  { rule: 'a double-quoted function name is no IN: its arguments are masked one by one', input: 'SELECT "Total"(1, 2) FROM t', expected: 'SELECT "Total"(?, ?) FROM t' },
  { rule: 'doubled "" inside', input: 'SELECT a FROM t WHERE b = "Ja""ne"', expected: 'SELECT a FROM t WHERE b = ?' },
  { rule: 'MySQL: a name-shaped "…" is a string', dialect: 'mysql', input: 'SELECT "id" FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'strict: a name-shaped "…" is a string', dialect: 'strict', input: 'SELECT "id" FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'CQL: a name-shaped "…" is a name', dialect: 'cql', input: 'SELECT "id" FROM t', expected: 'SELECT "id" FROM t' },
  {
    rule: 'MySQL: \\" inside a double-quoted string',
    dialect: 'mysql',
    input: 'SELECT a FROM t WHERE b = "O\\"Brien Jane" AND c = 1',
    expected: 'SELECT a FROM t WHERE b = ? AND c = ?',
  },
  // Backtick and bracket tokens: names, unless they hold a value.
  { rule: 'backtick e-mail', input: 'SELECT `jane@example.com` FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'backtick e-mail of 256 characters', input: `SELECT \`${local244}@example.com\` FROM t`, expected: 'SELECT ? FROM t' },
  { rule: 'backtick signed decimal', input: 'SELECT `-12.5` FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'backtick UUID', input: 'SELECT `123e4567-e89b-12d3-a456-426614174000` FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'backtick hex of 12 with a digit', input: 'SELECT `deadbeefca12` FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'backtick hex of 11 with a digit', input: 'SELECT `deadbeefc12` FROM t', expected: 'SELECT `deadbeefc12` FROM t' },
  { rule: 'backtick hex of 12 without a digit', input: 'SELECT `deadbeefcafe` FROM t', expected: 'SELECT `deadbeefcafe` FROM t' },
  { rule: 'empty backticks', input: 'SELECT `` FROM t', expected: 'SELECT `` FROM t' },
  { rule: 'bracket e-mail', input: 'SELECT [jane@example.com] FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'bracket number: an index', input: 'SELECT a[4711] FROM t', expected: 'SELECT a[?] FROM t' },
  { rule: 'bracket name of 129 characters', input: `SELECT [${bracket129}] FROM t`, expected: `SELECT [${bracket129}] FROM t` },
  { rule: 'bracket run of 130 characters: read token by token', input: `SELECT [${bracket130}] FROM t`, expected: `SELECT [${bracket130.replace('2024', '?')}] FROM t` },
  { rule: 'bracket name with a dot, dash and digits', input: 'SELECT [Q1-2024.v2] FROM t', expected: 'SELECT [Q1-2024.v2] FROM t' },
  // Placeholders.
  { rule: ':name kept, ::cast kept', input: 'SELECT a::int FROM t WHERE b = :jane', expected: 'SELECT a::int FROM t WHERE b = :jane' },
  { rule: ':: then a literal', input: "SELECT '4711'::text", expected: 'SELECT ?::text' },
  { rule: ':1 (digit) is no named placeholder', input: 'SELECT a FROM t WHERE b = :1', expected: 'SELECT a FROM t WHERE b = :?' },
  { rule: '@name kept, @1 masked', input: 'SELECT a FROM t WHERE b = @jane AND c = @1', expected: 'SELECT a FROM t WHERE b = @jane AND c = @?' },
  // Comments and the white space around them (twelfth session): a single space before a comment and the white space
  // after it become one space; any other white space (a line break, two spaces) is kept as written on both sides.
  { rule: 'one space, comment, two spaces: one space', input: 'SELECT a /* x */  FROM t', expected: 'SELECT a FROM t' },
  { rule: 'line break, comment, line break: both kept', input: 'SELECT a\n/* c */\nFROM t', expected: 'SELECT a\n\nFROM t' },
  { rule: 'line break, comment, space: both kept', input: 'SELECT a\n/* c */ FROM t', expected: 'SELECT a\n FROM t' },
  { rule: 'two spaces, comment, space: all kept', input: 'SELECT a  /* c */ FROM t', expected: 'SELECT a   FROM t' },
  // Keywords are whole words: a longer word or another word of the same length does not open an IN list or VALUES.
  { rule: 'a word starting with in: no IN list', input: 'SELECT int4 (1, 2) FROM t', expected: 'SELECT int4 (?, ?) FROM t' },
  { rule: 'a two-letter word: no IN list', input: 'SELECT f(a) AS (1, 2) FROM t', expected: 'SELECT f(a) AS (?, ?) FROM t' },
  { rule: 'a word starting with values: no tuple', input: 'SELECT f.valuesx ("Total") FROM t', expected: 'SELECT f.valuesx ("Total") FROM t' },
  { rule: 'a six-letter word: no tuple', input: 'SELECT ("Total") FROM t', expected: 'SELECT ("Total") FROM t' },
  { rule: 'parentheses at the start: no IN list', input: "(1, 'jane')", expected: '(?, ?)' },
  { rule: 'parentheses at the start: no tuple', input: '((SELECT "Total" FROM t))', expected: '((SELECT "Total" FROM t))' },
  { rule: 'two comments in a row: one space for both', input: 'SELECT a/* x *//* y */FROM t', expected: 'SELECT a FROM t' },
  { rule: 'U& only after the one letter u: a longer word keeps its name', input: "SELECT user&'x' FROM t", expected: 'SELECT user&? FROM t' },
  { rule: '$ before a non-tag character is an operator, not a dollar quote', input: 'SELECT $a, $b FROM t', expected: 'SELECT $a, $b FROM t' },
  // A comment right after a literal (also the first token, also a quoted value) is one space.
  { rule: 'a number first, then a comment', input: '42/* x */AS n', expected: '? AS n' },
  { rule: 'a literal, then a comment', input: "SELECT 'a'/* c */AS n", expected: 'SELECT ? AS n' },
  { rule: 'a backtick value, then a comment', input: 'SELECT `jane@example.com`/* c */FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'a backtick value first, then a comment', input: '`4711`/* c */AS n', expected: '? AS n' },
  { rule: 'parentheses after a literal: no IN list', input: "SELECT 'a' (1, 2)", expected: 'SELECT ? (?, ?)' },
  { rule: 'parentheses after a backtick value: no IN list', input: 'SELECT `jane@example.com` (1, 2)', expected: 'SELECT ? (?, ?)' },
  { rule: 'array slice: both bounds masked, brackets kept', input: 'SELECT a[2:9] FROM t', expected: 'SELECT a[?:?] FROM t' },
  { rule: 'backtick name starting with digits', input: 'SELECT `2024 sales` FROM t', expected: 'SELECT `2024 sales` FROM t' },
  // Placeholders, quoted names and parentheses: what they leave for the tokens after them.
  { rule: 'an operator then a word up to a ]: the number in between masked', input: 'SELECT a FROM t WHERE b=c 4711]', expected: 'SELECT a FROM t WHERE b=c ?]' },
  { rule: 'unterminated backtick: a name to the end', input: 'SELECT `x FROM t', expected: 'SELECT `x FROM t' },
  { rule: 'backtick name in an IN list: the list stays', input: 'SELECT a FROM t WHERE b IN (`c`, 1)', expected: 'SELECT a FROM t WHERE b IN (`c`, ?)' },
  { rule: 'backtick function name: its arguments are no IN list', input: 'SELECT `f`(1, 2) FROM t', expected: 'SELECT `f`(?, ?) FROM t' },
  { rule: ':name placeholder with nine digits kept', input: 'SELECT a FROM t WHERE b = :user_123456789', expected: 'SELECT a FROM t WHERE b = :user_123456789' },
  { rule: '@name placeholder with nine digits kept', input: 'SELECT a FROM t WHERE b = @user_123456789', expected: 'SELECT a FROM t WHERE b = @user_123456789' },
  { rule: '::type is a cast, not a placeholder', input: 'SELECT a::type_123456789 FROM t', expected: 'SELECT a::? FROM t' },
  { rule: '$1 ends at its digits', input: 'SELECT a FROM t WHERE b = $1 AND c = 4711', expected: 'SELECT a FROM t WHERE b = $1 AND c = ?' },
  { rule: 'parentheses after a placeholder: no IN list', input: 'SELECT :a (1, 2)', expected: 'SELECT :a (?, ?)' },
  { rule: 'parentheses in parentheses: no IN list', input: 'SELECT f((1, 2)) FROM t', expected: 'SELECT f((?, ?)) FROM t' },
  { rule: 'a closing parenthesis after a collapsed IN list', input: 'SELECT a FROM t WHERE b IN (1, 2) AND f(c)', expected: 'SELECT a FROM t WHERE b IN (?) AND f(c)' },
  { rule: 'IN list: a call inside does not end it', input: 'SELECT a FROM t WHERE b IN (f(1), "Jane")', expected: 'SELECT a FROM t WHERE b IN (f(?), ?)' },
  { rule: 'an unmatched ) does not hide a VALUES tuple', input: 'a) VALUES ("Jane Doe", 2)', expected: 'a) VALUES (?, ?)' },
  { rule: 'VALUES: a nested tuple does not end it', input: 'INSERT INTO t VALUES ((1), "Jane Doe")', expected: 'INSERT INTO t VALUES ((?), ?)' },
  { rule: 'MySQL: # comment right after a word is one space', dialect: 'mysql', input: 'SELECT a# note\nFROM t', expected: 'SELECT a FROM t' },
  // Numbers: identifier characters after any number belong to it, also after 0x/0b digits; a sign only after e.
  { rule: 'hex then identifier characters: one literal', input: 'SELECT 0xCAFEzz12345678 FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'binary then a letter: one literal', input: 'SELECT 0b101x FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'e then an operator: no exponent', input: 'SELECT 2e/3', expected: 'SELECT ?/?' },
  { rule: 'e+ without digits: no exponent', input: 'SELECT 1e+x FROM t', expected: 'SELECT ?+x FROM t' },
  // Block comments that do not nest (MySQL, CQL): the first */ after the opening /* ends them.
  { rule: 'MySQL: * right before a comment', dialect: 'mysql', input: 'SELECT */* jane */ FROM t', expected: 'SELECT * FROM t' },
  { rule: 'MySQL: /*/ does not close the comment', dialect: 'mysql', input: 'SELECT a /*/ jane */ FROM t', expected: 'SELECT a FROM t' },
  { rule: 'MySQL: unterminated block comment runs to the end', dialect: 'mysql', input: 'SELECT a /* jane', expected: 'SELECT a' },
  { rule: 'CQL: unterminated block comment runs to the end', dialect: 'cql', input: 'SELECT a /* jane', expected: 'SELECT a' },
  { rule: 'MySQL: // is no comment', dialect: 'mysql', input: 'SELECT a // b FROM t', expected: 'SELECT a // b FROM t' },
  { rule: 'CQL: block comments do not nest', dialect: 'cql', input: 'SELECT a /* x /* y */ b FROM t', expected: 'SELECT a b FROM t' },
  { rule: 'LIKE then a double-quoted name-shaped token: a value', input: 'SELECT a FROM t WHERE b LIKE "Jane Doe"', expected: 'SELECT a FROM t WHERE b LIKE ?' },
  { rule: 'backtick number without a sign', input: 'SELECT `4711` FROM t', expected: 'SELECT ? FROM t' },
  { rule: 'unterminated backtick holding a number: a name to the end', input: 'SELECT `4711', expected: 'SELECT `4711' },
  { rule: 'CQL: a list with a name and a string is no bracket name', dialect: 'cql', input: "UPDATE t SET l = [x, 'jane'] WHERE k = 1", expected: 'UPDATE t SET l = [x, ?] WHERE k = ?' },
  { rule: 'backtick UUID shape with a non-hex first group: a name', input: 'SELECT `ghijklmn-aaaa-bbbb-cccc-dddddddddddd` FROM t', expected: 'SELECT `ghijklmn-aaaa-bbbb-cccc-dddddddddddd` FROM t' },
  { rule: 'backtick UUID shape with a non-hex third group: a name', input: 'SELECT `aaaaaaaa-bbbb-ghij-cccc-dddddddddddd` FROM t', expected: 'SELECT `aaaaaaaa-bbbb-ghij-cccc-dddddddddddd` FROM t' },
  { rule: 'backtick UUID shape with a non-hex last group: a name', input: 'SELECT `aaaaaaaa-bbbb-cccc-dddd-ghijklmnopqr` FROM t', expected: 'SELECT `aaaaaaaa-bbbb-cccc-dddd-ghijklmnopqr` FROM t' },
  // Passwords written as bare words: the token after `IDENTIFIED BY` (and after a later `REPLACE`), and SQL*Plus
  // `CONNECT user/password@db` starting a statement (to the end of its line).
  {
    rule: 'IDENTIFIED BY a bare word',
    input: 'ALTER USER app IDENTIFIED BY hunterfake',
    expected: 'ALTER USER app IDENTIFIED BY ?',
  },
  {
    rule: 'IDENTIFIED BY a quoted identifier, REPLACE the old one',
    input: 'ALTER USER app IDENTIFIED BY "Hunter fake" REPLACE oldfake ACCOUNT UNLOCK',
    expected: 'ALTER USER app IDENTIFIED BY ? REPLACE ? ACCOUNT UNLOCK',
  },
  {
    rule: 'IDENTIFIED BY with a comment between',
    input: 'create user app identified by /* new */ hunterfake',
    expected: 'create user app identified by ?',
  },
  {
    rule: 'a database link: CONNECT TO is no SQL*Plus CONNECT',
    input: "CREATE DATABASE LINK l CONNECT TO u IDENTIFIED BY pwfake USING 'db'",
    expected: 'CREATE DATABASE LINK l CONNECT TO u IDENTIFIED BY ? USING ?',
  },
  { rule: 'SQL*Plus CONNECT', input: 'CONNECT app/hunterfake@orcl', expected: 'CONNECT ?' },
  {
    rule: 'SQL*Plus CONN after another statement, to the end of its line',
    input: 'SELECT a FROM t;\nconn app/hunterfake as sysdba\nSELECT b FROM t',
    expected: 'SELECT a FROM t;\nconn ?\nSELECT b FROM t',
  },
  {
    rule: 'CONNECT BY in a hierarchical query stays',
    input: 'SELECT id FROM t CONNECT BY PRIOR id = parent',
    expected: 'SELECT id FROM t CONNECT BY PRIOR id = parent',
  },
  {
    rule: 'identified and by as column names, apart',
    input: 'SELECT identified, by FROM t',
    expected: 'SELECT identified, by FROM t',
  },
  // A bare password is the whole word up to a blank, `;` or the end: Oracle's `#` and `$`, and any punctuation an
  // application writes unquoted (read as SQL tokens, all but its first word were kept).
  {
    rule: 'IDENTIFIED BY a bare word with # (an Oracle identifier character)',
    input: 'ALTER USER app IDENTIFIED BY hunter2#Fake',
    expected: 'ALTER USER app IDENTIFIED BY ?',
  },
  {
    rule: 'IDENTIFIED BY and REPLACE bare words with -, ending at a blank',
    input: 'ALTER USER app IDENTIFIED BY new-Secret-pw REPLACE old-Secret-pw ACCOUNT UNLOCK',
    expected: 'ALTER USER app IDENTIFIED BY ? REPLACE ? ACCOUNT UNLOCK',
  },
  {
    rule: 'IDENTIFIED BY a bare word with . / + starting with a digit, ending at ;',
    input: 'ALTER USER app IDENTIFIED BY 9x.Fake/pw+x;SELECT a-b FROM t',
    expected: 'ALTER USER app IDENTIFIED BY ?;SELECT a-b FROM t',
  },
  {
    rule: 'IDENTIFIED BY a bare word starting with #',
    input: 'ALTER USER app IDENTIFIED BY #Fake-pw',
    expected: 'ALTER USER app IDENTIFIED BY ?',
  },
  {
    rule: 'IDENTIFIED BY a backtick or bracket identifier: a value',
    input: 'ALTER USER a IDENTIFIED BY `pw-x y`; ALTER USER b IDENTIFIED BY [pw-x y]',
    expected: 'ALTER USER a IDENTIFIED BY ?; ALTER USER b IDENTIFIED BY ?',
  },
  {
    rule: 'IDENTIFIED BY a prefixed literal: read to its closing quote',
    input: "ALTER USER app IDENTIFIED BY N'pw x' ACCOUNT UNLOCK",
    expected: 'ALTER USER app IDENTIFIED BY ? ACCOUNT UNLOCK',
  },
  {
    rule: 'IDENTIFIED WITH a plugin BY a bare word (MySQL, ClickHouse)',
    input: 'ALTER USER app IDENTIFIED WITH caching_sha2_password BY hunter2-Fake',
    expected: 'ALTER USER app IDENTIFIED WITH caching_sha2_password BY ?',
  },
  {
    rule: 'IDENTIFIED WITH a plugin AS a hash literal',
    input: "ALTER USER app IDENTIFIED WITH mysql_native_password AS '*AB12'",
    expected: 'ALTER USER app IDENTIFIED WITH mysql_native_password AS ?',
  },
  {
    rule: 'PASSWORD in a role statement: a bare word',
    input: "alter role app login password Fake.pw-1 valid until '2027-01-01'",
    expected: 'alter role app login password ? valid until ?',
  },
  {
    rule: 'PASSWORD = and OLD_PASSWORD = in a login statement',
    input: 'CREATE OR REPLACE USER app WITH PASSWORD = hunter2#Fake; ALTER LOGIN app WITH OLD_PASSWORD = old-pw',
    expected: 'CREATE OR REPLACE USER app WITH PASSWORD = ?; ALTER LOGIN app WITH OLD_PASSWORD = ?',
  },
  {
    rule: 'PASSWORD options are no password',
    input: 'ALTER USER app PASSWORD EXPIRE NEVER; CREATE ROLE r WITH PASSWORD NULL; ALTER USER u PASSWORD HISTORY 5',
    expected: 'ALTER USER app PASSWORD EXPIRE NEVER; CREATE ROLE r WITH PASSWORD NULL; ALTER USER u PASSWORD HISTORY ?',
  },
  {
    rule: 'PASSWORD outside a user, role or login statement: a column',
    input:
      'SELECT password FROM users WHERE password IS NULL; ALTER TABLE users ADD password text; CREATE TABLE t (password text)',
    expected:
      'SELECT password FROM users WHERE password IS NULL; ALTER TABLE users ADD password text; CREATE TABLE t (password text)',
  },
];
