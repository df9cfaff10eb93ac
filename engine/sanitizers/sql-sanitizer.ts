/**
 * SQL sanitizer (the SQL family of the statement sanitizers): a single-pass, linear-time tokenizer
 * that replaces literals with `?` and removes comments, keeping identifiers, keywords, operators and
 * placeholders. Dialect-tolerant (PostgreSQL, MySQL, SQL Server, SQLite, Oracle, CQL); never throws.
 */

import { hasIdentifierDigits } from '../identifier-digits';

/** What differs between the SQL dialects the tokenizer reads. */
export interface SqlDialect {
  /** `/* … /* … *\/ … *\/` nests (PostgreSQL, SQL Server, and the strict fallback). */
  readonly nestedComments: boolean;
  /** Every `"…"` is a string literal (MySQL/MariaDB, the strict fallback), not a guess from its position. */
  readonly doubleQuotedStrings: boolean;
  /** `// …` starts a line comment (CQL). */
  readonly slashComments: boolean;
  /**
   * `\'` (and `\"` in a `"…"` string) is an escaped quote (MySQL). Elsewhere a quote after a backslash ends the literal
   * (PostgreSQL standard strings, SQL Server, Oracle, CQL), but a client may write MySQL's escape: where the two
   * readings end a literal at different places, it runs to the end of the statement (fail closed).
   */
  readonly backslashEscapes: boolean;
}

/**
 * Generic SQL (PostgreSQL, SQL Server, SQLite, Oracle, …): block comments nest (the safe reading: where
 * they do not, a comment holding `/*` removes more, never less); a double-quoted token is a value when
 * its position or shape says so, else an identifier.
 */
export const GENERIC_SQL: SqlDialect = {
  nestedComments: true,
  doubleQuotedStrings: false,
  slashComments: false,
  backslashEscapes: false,
};
/** MySQL and MariaDB: `"…"` is a string (without ANSI_QUOTES), block comments do not nest. */
export const MYSQL: SqlDialect = {
  nestedComments: false,
  doubleQuotedStrings: true,
  slashComments: false,
  backslashEscapes: true,
};
/** Cassandra CQL: `//` and `--` line comments, `"…"` identifiers (guessed like generic SQL). */
export const CQL: SqlDialect = {
  nestedComments: false,
  doubleQuotedStrings: false,
  slashComments: true,
  backslashEscapes: false,
};
/** The strict fallback for statements of an unknown system: nested comments, every `"…"` a value. */
export const STRICT_SQL: SqlDialect = {
  nestedComments: true,
  doubleQuotedStrings: true,
  slashComments: true,
  backslashEscapes: false,
};

/** Written in place of every literal. */
const LITERAL = '?';

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * End of the bare password that starts at `i` (after `IDENTIFIED BY` or `REPLACE`): every character up to a blank, a
 * `;` or the end. Oracle's unquoted passwords hold `#` and `$`, and a password written unquoted may hold any other
 * character (`hunter2-Fake-9x`, `a.b/c+d`): read as SQL tokens, all but the first word would be kept (fails closed).
 */
function bareSecretEnd(sql: string, i: number): number {
  let j = i + 1;
  while (j < sql.length && !isSpace(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 59) j++;
  return j;
}

/** Words after `PASSWORD` in a user's or role's options that are no password (`PASSWORD EXPIRE`, `PASSWORD NULL`). */
const PASSWORD_OPTIONS = ['expire', 'history', 'reuse', 'require', 'null'];

/** Whether the word at `i` is one of `PASSWORD_OPTIONS` ending at a blank, `;`, `,`, `)` or the end (not `expire-x`). */
function isPasswordOption(sql: string, i: number): boolean {
  let j = i;
  while (j < sql.length && isIdentChar(sql.charCodeAt(j))) j++;
  const next = j < sql.length ? sql.charCodeAt(j) : 32;
  if (!isSpace(next) && next !== 59 && next !== 44 && next !== 41) return false;
  for (const w of PASSWORD_OPTIONS) if (wordIs(sql, i, j, w)) return true;
  return false;
}

/** Words after which a double-quoted token is a value, not an identifier (MySQL strings). */
const VALUE_CONTEXT_WORDS = new Set(['like', 'ilike', 'between', 'escape', 'then', 'else', 'regexp', 'rlike']);

/**
 * Whether a double-quoted token after the operator token `op` is a value: `op` ends a comparison or concatenation
 * (`=`, `<>`, `<=>`, `||`, also `===`, `!==` or `@>` a client wrote), so its last character is `<`, `>`, `=`, `!` or
 * `|`. Only the last one is read: a long run is cut into tokens of three characters, the last token ends as the run.
 */
function valueContextOp(op: string): boolean {
  return op.length > 0 && isOperatorTail(op.charCodeAt(op.length - 1));
}

/**
 * `sanitizeSql`: string literals (single-quoted with `''` or `\'` escapes, `E'…'`, `N'…'`, `X'…'`,
 * `B'…'`, PostgreSQL dollar-quoted `$tag$…$tag$`), numbers (integers, decimals, exponents, `0x…`,
 * `0b…`) become `?`; an `IN (…)` list of literals becomes `IN (?)`; comments (`--`, `/* *\/`, `# `)
 * are removed. Identifiers (also `"quoted"`, `` `quoted` ``, `[quoted]`), keywords, `NULL`/`TRUE`,
 * operators and placeholders (`?`, `$1`, `:name`, `@name`, `%s`) are kept. A double-quoted token is
 * a value (MySQL) when it follows a comparison operator or `LIKE`, sits in an `IN (…)` list or a
 * `VALUES (…)` tuple, or does not look like an identifier; otherwise it is an identifier (PostgreSQL). Unterminated literals and comments run
 * to the end (fail closed). Linear time; not expected to throw (if it did, the item is dropped and counted).
 */
export function sanitizeSql(value: string, dialect: SqlDialect = GENERIC_SQL): string {
  if (typeof value !== 'string') return value;
  // No catch: a failure here (a bug) reaches the processor, which drops the whole item and counts it.
  return tokenize(value, dialect);
}

/** Whether `sql[start, end)` is `word` (lower-case ASCII), ignoring case, without allocating. */
function wordIs(sql: string, start: number, end: number, word: string): boolean {
  if (end - start !== word.length) return false;
  for (let k = 0; k < word.length; k++) if ((sql.charCodeAt(start + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/** Operator characters taken as one token with the one before them (`<=`, `<>`, `!=`, `||`, `<=>`). */
function isOperatorTail(c: number): boolean {
  return c === 60 || c === 62 || c === 61 || c === 33 || c === 124; // < > = ! |
}

/**
 * Output is built from runs of the input copied as they are (identifiers, keywords, operators, white
 * space): a run is only sliced off when something replaces or removes text (a literal, a comment, an
 * `IN (…)` list of literals), so a statement becomes a handful of slices joined once, not one piece
 * per token.
 */
function tokenize(sql: string, dialect: SqlDialect): string {
  const n = sql.length;
  const parts: string[] = [];
  /** Start of the run of input not yet moved into `parts` (it ends at the token being read). */
  let runStart = 0;
  /** Whether anything was output yet, whether the output ends with white space, and whether its last piece is exactly one space. */
  let emitted = false;
  let endsWithSpace = false;
  let lastIsOneSpace = false;
  let i = 0;
  /** Last significant token kind: 'op' (operator/punctuation), 'word', 'value' or '' (start). */
  let lastKind: '' | 'op' | 'word' | 'value' = '';
  /** Its text (lower-case for words); `undefined` when it is `sql[lastStart, lastEnd)`, sliced only if needed. */
  let lastText: string | undefined = '';
  let lastStart = 0;
  let lastEnd = 0;
  // IN-list state: output index where the list's '(' starts, and whether it only holds literals.
  let pendingIn = false;
  let listStart = -1;
  let listDepth = 0;
  let listOnlyLiterals = false;
  let listLiterals = 0;
  let depth = 0;
  // Inside `VALUES (…), (…)`: set by the word VALUES, cleared by the next word at the same depth.
  let valuesDepth = -1;
  let afterComment = false;
  // A password written as a bare word or a quoted identifier: the token after `IDENTIFIED BY` (Oracle `CREATE USER u
  // IDENTIFIED BY pw`, a database link's `CONNECT TO u IDENTIFIED BY pw`), or after a later `REPLACE` (the old one).
  // In a statement that creates or alters a user, a role or a login, also the token after `PASSWORD` (PostgreSQL
  // `CREATE ROLE u LOGIN PASSWORD pw`, `WITH PASSWORD = pw`) unless it is an option's word (`PASSWORD EXPIRE`).
  // 1: after `identified` (or `identified with` and a plugin's name); 2: the next token is a password; 3: after
  // `password` in such a statement; 4: after `identified with`.
  let secretState = 0;
  let identifiedSeen = false;
  // 1: the statement starts with CREATE or ALTER (`CREATE OR REPLACE`); 2: and its object is a USER, ROLE or LOGIN.
  let userStatement = 0;

  while (i < n) {
    const c = sql.charCodeAt(i);
    const d = i + 1 < n ? sql.charCodeAt(i + 1) : -1;

    if (isSpace(c)) {
      let j = i + 1;
      while (j < n && isSpace(sql.charCodeAt(j))) j++;
      // After a removed comment the separating space is already there.
      if (afterComment && lastIsOneSpace) {
        if (i > runStart) parts.push(sql.slice(runStart, i));
        runStart = j;
      } else {
        emitted = true;
        endsWithSpace = true;
        lastIsOneSpace = j - i === 1 && c === 32;
      }
      afterComment = false;
      i = j;
      continue;
    }
    afterComment = false;
    const secret = secretState === 2;
    const afterIdentified = secretState === 1;
    const afterPassword = secretState === 3;
    const state = secretState;
    // The token after `IDENTIFIED WITH` is a plugin's name (`IDENTIFIED WITH caching_sha2_password BY pw`, MySQL,
    // ClickHouse): `BY` may follow it.
    secretState = state === 4 ? 1 : 0;
    // Comments: removed, and a space stands in for them unless the output already ends with one.
    const lineComment =
      (c === 45 && d === 45) ||
      (c === 35 && (d === 32 || d === 9 || d === -1)) ||
      (c === 47 && d === 47 && dialect.slashComments);
    if (lineComment || (c === 47 && d === 42)) {
      if (i > runStart) parts.push(sql.slice(runStart, i));
      if (lineComment) {
        const nl = sql.indexOf('\n', i);
        i = nl === -1 ? n : nl;
      } else i = dialect.nestedComments ? skipNestedComment(sql, i) : skipBlockComment(sql, i);
      runStart = i;
      if (emitted && !endsWithSpace) {
        parts.push(' ');
        endsWithSpace = true;
        lastIsOneSpace = true;
      }
      afterComment = true;
      secretState = state; // a comment between `IDENTIFIED BY` and the password
      continue;
    }
    // Literals: the text before them is moved into `parts`, then `?` stands in for them.
    let literalEnd = -1;
    let tokenEnd = -1;
    if (c === 39) {
      // Single-quoted strings.
      literalEnd = skipLiteral(sql, i, 39, dialect.backslashEscapes);
    } else if (
      (secret || (afterPassword && c !== 61 && !isPasswordOption(sql, i))) &&
      c !== 34 &&
      c !== 59 &&
      d !== 39 &&
      !(d === 38 && i + 2 < n && sql.charCodeAt(i + 2) === 39)
    ) {
      // A bare password (double-quoted ones, also `N'…'` and `U&'…'`, are read below): the whole word; a backtick or
      // bracket identifier up to its closing character.
      if (c === 96 || c === 91) {
        const close = sql.indexOf(c === 96 ? '`' : ']', i + 1);
        literalEnd = close === -1 ? n : close + 1;
      } else literalEnd = bareSecretEnd(sql, i);
    } else if (isUuidAt(sql, i)) {
      // An unquoted UUID (CQL): one literal, not a number followed by identifiers.
      literalEnd = i + 36;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(sql.charCodeAt(j))) j++;
      const next = j < n ? sql.charCodeAt(j) : -1;
      // A one-letter prefix (E'', N'', X'', B'', R'') or U&'' makes the quoted text after it a literal.
      const prefixed = next === 39 && j - i === 1 && 'EeNnXxBbRr'.includes(sql[i]);
      const unicodePrefixed =
        j - i === 1 && (c === 85 || c === 117) && next === 38 && j + 1 < n && sql.charCodeAt(j + 1) === 39;
      // `E'…'` reads backslash escapes in every dialect.
      if (prefixed || unicodePrefixed)
        literalEnd = skipLiteral(
          sql,
          unicodePrefixed ? j + 1 : j,
          39,
          dialect.backslashEscapes || c === 69 || c === 101,
        );
      else if (hasIdentifierDigits(sql, i, j) || secret) {
        // A number glued into a name (`user_123456789`, `cust_2025550143`): a value, like the number alone.
        literalEnd = j;
      } else if (
        (lastKind === '' || (lastKind === 'op' && lastText === undefined && sql.charCodeAt(lastStart) === 59)) &&
        (wordIs(sql, i, j, 'connect') || wordIs(sql, i, j, 'conn'))
      ) {
        // SQL*Plus `CONNECT user/password@db` starting a statement: everything to the end of the line is a value.
        const nl = sql.indexOf('\n', j);
        parts.push(sql.slice(runStart, j), ' ');
        runStart = j;
        literalEnd = nl === -1 ? n : nl;
        i = j;
      } else {
        if (lastKind === '' || (lastKind === 'op' && lastText === undefined && sql.charCodeAt(lastStart) === 59))
          userStatement = wordIs(sql, i, j, 'create') || wordIs(sql, i, j, 'alter') ? 1 : 0;
        else if (userStatement === 1)
          userStatement =
            wordIs(sql, i, j, 'user') || wordIs(sql, i, j, 'role') || wordIs(sql, i, j, 'login')
              ? 2
              : wordIs(sql, i, j, 'or') || wordIs(sql, i, j, 'replace') // `CREATE OR REPLACE USER`
                ? 1
                : 0;
        // `PASSWORD`, and SQL Server's `OLD_PASSWORD` (`wordIs` folds `_` to DEL: read as `old`, `_`, `password`).
        if (
          userStatement === 2 &&
          (wordIs(sql, i, j, 'password') ||
            (wordIs(sql, i, i + 3, 'old') && sql.charCodeAt(i + 3) === 95 && wordIs(sql, i + 4, j, 'password')))
        )
          secretState = 3;
        if (wordIs(sql, i, j, 'identified')) {
          secretState = 1;
          identifiedSeen = true;
        } else if (afterIdentified && wordIs(sql, i, j, 'with')) secretState = 4;
        else if ((afterIdentified && wordIs(sql, i, j, 'by')) || (identifiedSeen && wordIs(sql, i, j, 'replace')))
          secretState = 2;
        if (wordIs(sql, i, j, 'values')) valuesDepth = depth;
        else if (depth <= valuesDepth) valuesDepth = -1;
        if (wordIs(sql, i, j, 'in')) pendingIn = true;
        else {
          pendingIn = false;
          if (listStart !== -1) listOnlyLiterals = false;
        }
        lastKind = 'word';
        lastText = undefined;
        lastStart = i;
        lastEnd = j;
        tokenEnd = j;
      }
    } else if (isDigit(c) || (c === 46 && isDigit(d))) {
      // Numbers (not glued to an identifier, which the branch above consumed whole).
      literalEnd = skipNumber(sql, i);
    } else if (c === 34) {
      // Double-quoted: identifier, or a string value (MySQL) in value position.
      const end = skipQuoted(sql, i, 34, false);
      const inner = sql.slice(i + 1, end - 1);
      const last =
        lastText ?? (lastKind === 'word' ? sql.slice(lastStart, lastEnd).toLowerCase() : sql.slice(lastStart, lastEnd));
      const valuePosition =
        (lastKind === 'op' && valueContextOp(last)) ||
        (lastKind === 'word' && VALUE_CONTEXT_WORDS.has(last)) ||
        (listStart !== -1 && depth === listDepth) ||
        (valuesDepth !== -1 && depth > valuesDepth) ||
        secret;
      const identifierShaped = /^[A-Za-z_][\w$ .-]{0,127}$/.test(inner) && end <= n && sql.charCodeAt(end - 1) === 34;
      if (dialect.doubleQuotedStrings || valuePosition || !identifierShaped || hasIdentifierDigits(inner))
        literalEnd = skipLiteral(sql, i, 34, dialect.backslashEscapes);
      else {
        if (listStart !== -1) listOnlyLiterals = false;
        pendingIn = false;
        lastKind = 'word';
        lastText = inner.toLowerCase();
        tokenEnd = end;
      }
    } else if (c === 36 && !isDigit(d)) {
      // A dollar-quoted string `$$…$$` / `$tag$…$tag$` (a `$` not followed by a tag is an operator).
      let j = i + 1;
      // No length limit (PostgreSQL has none); a run that is no tag is then read as an identifier (linear).
      while (j < n && isIdentChar(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 36) j++;
      if (j < n && sql.charCodeAt(j) === 36) {
        const tag = sql.slice(i, j + 1);
        const close = sql.indexOf(tag, j + 1);
        literalEnd = close === -1 ? n : close + tag.length;
      }
    }
    if (literalEnd !== -1) {
      if (i > runStart) parts.push(sql.slice(runStart, i));
      parts.push(LITERAL);
      runStart = literalEnd;
      emitted = true;
      endsWithSpace = false;
      lastIsOneSpace = false;
      lastKind = 'value';
      lastText = LITERAL;
      if (listStart !== -1 && depth === listDepth) listLiterals++;
      pendingIn = false;
      i = literalEnd;
      continue;
    }
    // Everything below is copied as it is (it joins the current run).
    if (tokenEnd === -1) {
      const quotedValueEnd = c === 96 || c === 91 ? quotedIdentifierValueEnd(sql, i, c) : -1;
      if (quotedValueEnd !== -1) {
        // A quoted "identifier" that is a value (`` `jane@example.com` ``, `[4711]`): a literal.
        if (i > runStart) parts.push(sql.slice(runStart, i));
        parts.push(LITERAL);
        runStart = quotedValueEnd;
        emitted = true;
        endsWithSpace = false;
        lastIsOneSpace = false;
        lastKind = 'value';
        lastText = LITERAL;
        pendingIn = false;
        i = quotedValueEnd;
        continue;
      }
      if (c === 96 || (c === 91 && isBracketIdentifier(sql, i))) {
        // Backtick and bracket identifiers (`[Order Details]`; `[1, 2]` is a collection, read token by token).
        const close = sql.indexOf(c === 96 ? '`' : ']', i + 1);
        tokenEnd = close === -1 ? n : close + 1;
        if (listStart !== -1) listOnlyLiterals = false;
        pendingIn = false;
        lastKind = 'word';
        lastText = '';
      } else if (
        (c === 36 && isDigit(d)) ||
        (c === 58 && d !== 58 && isIdentStart(d) && (i === 0 || sql.charCodeAt(i - 1) !== 58)) ||
        (c === 64 && isIdentStart(d))
      ) {
        // Placeholders: `$1`, named `:name` (not `::type` casts) and `@name`.
        let j = i + 1;
        if (c === 36) while (j < n && isDigit(sql.charCodeAt(j))) j++;
        else while (j < n && isIdentChar(sql.charCodeAt(j))) j++;
        tokenEnd = j;
        if (listStart !== -1) listOnlyLiterals = false;
        pendingIn = false;
        lastKind = 'value';
        lastText = c === 36 ? '$' : ':';
      } else if (c === 40) {
        depth++;
        if (pendingIn && listStart === -1) {
          // The list may collapse to `(?`: it starts a piece of its own.
          if (i > runStart) parts.push(sql.slice(runStart, i));
          runStart = i;
          listStart = parts.length;
          listDepth = depth;
          listOnlyLiterals = true;
          listLiterals = 0;
        } else if (listStart !== -1) listOnlyLiterals = false;
        pendingIn = false;
        lastKind = 'op';
        lastText = '(';
        tokenEnd = i + 1;
      } else if (c === 41) {
        if (listStart !== -1 && depth === listDepth) {
          if (listOnlyLiterals && listLiterals > 0) {
            parts.length = listStart;
            parts.push('(' + LITERAL);
            runStart = i;
          }
          listStart = -1;
        }
        depth = depth > 0 ? depth - 1 : 0;
        lastKind = 'op';
        lastText = ')';
        tokenEnd = i + 1;
      } else if (c === 63) {
        // `?` placeholder (JDBC, MySQL, SQLite).
        if (listStart !== -1 && depth === listDepth) listLiterals++;
        lastKind = 'value';
        lastText = '?';
        tokenEnd = i + 1;
      } else {
        // Operators: a run of operator characters is one token for context.
        let j = i + 1;
        if (c !== 44 && c !== 59) while (j < n && j - i < 3 && isOperatorTail(sql.charCodeAt(j))) j++;
        if (afterPassword && c === 61 && j === i + 1) secretState = 2; // `PASSWORD = pw`
        if (c !== 44 && listStart !== -1) listOnlyLiterals = false; // commas are part of a literal list
        if (c !== 44 || listStart === -1) pendingIn = false;
        lastKind = 'op';
        lastText = undefined;
        lastStart = i;
        lastEnd = j;
        tokenEnd = j;
      }
    }
    emitted = true;
    endsWithSpace = isSpace(sql.charCodeAt(tokenEnd - 1));
    lastIsOneSpace = false;
    i = tokenEnd;
  }
  if (n > runStart) parts.push(sql.slice(runStart, n));
  return (parts.length === 1 ? parts[0] : parts.join('')).trim();
}

/** End index (exclusive) of a quoted run starting at `start`; doubled quotes (and backslashes if `backslash`) escape. */
function skipQuoted(sql: string, start: number, quote: number, backslash: boolean): number {
  const n = sql.length;
  let i = start + 1;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (backslash && c === 92) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (i + 1 < n && sql.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return n; // unterminated: runs to the end (fail closed)
}

/**
 * End index of a quoted literal at `start`: read with backslash escapes when `backslash`; otherwise read both with and
 * without them, and where the two end it at different places, the end of the statement (either reading's literal and
 * whatever follows it are inside: fail closed).
 */
function skipLiteral(sql: string, start: number, quote: number, backslash: boolean): number {
  const escaped = skipQuoted(sql, start, quote, true);
  if (backslash) return escaped;
  return skipQuoted(sql, start, quote, false) === escaped ? escaped : sql.length;
}

/**
 * End index of a numeric literal at `start` (`12`, `1.5e-3`, `.5`, `1_000`; `0x1F` and `0b101` by the trailing rule, whose
 * identifier characters include every hex digit: `0xCAFEzz1234` is one literal, nothing after the digits is left).
 */
function skipNumber(sql: string, start: number): number {
  const n = sql.length;
  let i = start;
  while (i < n && (isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95)) i++;
  if (i < n && sql.charCodeAt(i) === 46) {
    i++;
    while (i < n && isDigit(sql.charCodeAt(i))) i++;
  }
  if (i < n && (sql.charCodeAt(i) | 32) === 101) {
    let j = i + 1;
    if (j < n && (sql.charCodeAt(j) === 43 || sql.charCodeAt(j) === 45)) j++;
    if (j < n && isDigit(sql.charCodeAt(j))) {
      while (j < n && isDigit(sql.charCodeAt(j))) j++;
      i = j;
    }
  }
  // Trailing identifier characters (`1abc`, `123L`) belong to the literal.
  while (i < n && isIdentChar(sql.charCodeAt(i))) i++;
  return i;
}

/** End index of a `/* … *\/` comment at `start` that does not nest (unterminated: the end). */
function skipBlockComment(sql: string, start: number): number {
  const close = sql.indexOf('*/', start + 2);
  return close === -1 ? sql.length : close + 2;
}

/** End index of a `/* … *\/` comment at `start` in which `/*` opens a nested comment (unterminated: the end). */
function skipNestedComment(sql: string, start: number): number {
  const n = sql.length;
  let depth = 1;
  let i = start + 2;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 42 && i + 1 < n && sql.charCodeAt(i + 1) === 47) {
      i += 2;
      if (--depth === 0) return i;
    } else if (c === 47 && i + 1 < n && sql.charCodeAt(i + 1) === 42) {
      i += 2;
      depth++;
    } else i++;
  }
  return n;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}

/** Whether an unquoted UUID (`8-4-4-4-12` hex digits, not glued to an identifier) starts at `i`. */
function isUuidAt(sql: string, i: number): boolean {
  if (i + 36 > sql.length || sql.charCodeAt(i + 8) !== 45 || !isHex(sql.charCodeAt(i))) return false;
  if (i > 0 && isIdentChar(sql.charCodeAt(i - 1))) return false;
  for (let k = 0; k < 36; k++) {
    const c = sql.charCodeAt(i + k);
    if (k === 8 || k === 13 || k === 18 || k === 23) {
      if (c !== 45) return false;
    } else if (!isHex(c)) return false;
  }
  return i + 36 === sql.length || !isIdentChar(sql.charCodeAt(i + 36));
}

/**
 * What a quoted identifier holding a value reads as: an e-mail or `user@host`, a number, a UUID, a long hex id (and,
 * checked before, a name with nine or more digits in a row: `hasIdentifierDigits`).
 */
const VALUE_IN_QUOTES =
  /^(?:[^\s@]+@[^\s@]+|[-+]?\d+(?:\.\d+)?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?=[0-9a-f]*\d)[0-9a-f]{12,})$/i;

/**
 * End index of a backtick- or bracket-quoted token at `i` (`quote` is its opening character) that holds a value, not a
 * name (`` `jane@example.com` ``, `` `4711` ``, `[jane@example.com]`); -1 for a name. Names never read so.
 */
function quotedIdentifierValueEnd(sql: string, i: number, quote: number): number {
  const close = sql.indexOf(quote === 96 ? '`' : ']', i + 1);
  if (close === -1 || close - i > 257 || close === i + 1) return -1;
  // A number glued into a name (`` `user_123456789` ``, `[cust_2025550143]`): a value, like the number alone.
  if (hasIdentifierDigits(sql, i + 1, close)) return close + 1;
  const inner = sql.slice(i + 1, close);
  // In brackets, numbers and UUIDs are read token by token already (`arr[1]` → `arr[?]`): only `@` needs this.
  if (quote === 91 && inner.indexOf('@') === -1) return -1;
  return VALUE_IN_QUOTES.test(inner) ? close + 1 : -1;
}

/** Whether the `[` at `i` opens a bracket identifier (`[Order Details]`), not a list (`[1, 2]`, `['a']`). */
function isBracketIdentifier(sql: string, i: number): boolean {
  const n = sql.length;
  if (i + 1 >= n || !isIdentStart(sql.charCodeAt(i + 1))) return false;
  for (let j = i + 2; j < n && j - i <= 130; j++) {
    const c = sql.charCodeAt(j);
    if (c === 93) return true;
    if (!isIdentChar(c) && c !== 32 && c !== 46 && c !== 45) return false;
  }
  return false;
}
