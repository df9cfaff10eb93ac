/**
 * SQL sanitizer (SPEC §4 `sanitizers.sql`): a single-pass, linear-time tokenizer that replaces
 * literals with `?` and removes comments, keeping identifiers, keywords, operators and
 * placeholders. Dialect-tolerant (PostgreSQL, MySQL, SQL Server, SQLite, Oracle); never throws.
 */

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

/** Words after which a double-quoted token is a value, not an identifier (MySQL strings). */
const VALUE_CONTEXT_WORDS = new Set(['like', 'ilike', 'between', 'escape', 'then', 'else', 'regexp', 'rlike']);

/** Operators after which a double-quoted token is a value. */
const VALUE_CONTEXT_OPS = new Set(['=', '<', '>', '<=', '>=', '<>', '!=', '==', '||', '<=>']);

/**
 * `sanitizeSql`: string literals (single-quoted with `''` or `\'` escapes, `E'…'`, `N'…'`, `X'…'`,
 * `B'…'`, PostgreSQL dollar-quoted `$tag$…$tag$`), numbers (integers, decimals, exponents, `0x…`,
 * `0b…`) become `?`; an `IN (…)` list of literals becomes `IN (?)`; comments (`--`, `/* *\/`, `# `)
 * are removed. Identifiers (also `"quoted"`, `` `quoted` ``, `[quoted]`), keywords, `NULL`/`TRUE`,
 * operators and placeholders (`?`, `$1`, `:name`, `@name`, `%s`) are kept. A double-quoted token is
 * a value (MySQL) when it follows a comparison operator or `LIKE`, sits in an `IN (…)` list or a
 * `VALUES (…)` tuple, or does not look like an identifier; otherwise it is an identifier (PostgreSQL). Unterminated literals and comments run
 * to the end (fail closed). Linear time, never throws.
 */
export function sanitizeSql(value: string): string {
  if (typeof value !== 'string') return value;
  try {
    return tokenize(value);
  } catch {
    return LITERAL; // fail closed; not expected to happen
  }
}

function tokenize(sql: string): string {
  const n = sql.length;
  const parts: string[] = [];
  let i = 0;
  /** Last significant token kind: 'op' (operator/punctuation), 'word', 'value' or '' (start). */
  let lastKind: '' | 'op' | 'word' | 'value' = '';
  let lastText = '';
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

  const emitLiteral = (): void => {
    parts.push(LITERAL);
    lastKind = 'value';
    lastText = LITERAL;
    if (listStart !== -1 && depth === listDepth) listLiterals++;
    pendingIn = false;
  };
  const notLiteral = (): void => {
    if (listStart !== -1) listOnlyLiterals = false;
  };
  const space = (): void => {
    const last = parts.length > 0 ? parts[parts.length - 1] : '';
    if (last.length > 0 && !isSpace(last.charCodeAt(last.length - 1))) parts.push(' ');
  };

  while (i < n) {
    const c = sql.charCodeAt(i);
    const d = i + 1 < n ? sql.charCodeAt(i + 1) : -1;

    if (isSpace(c)) {
      let j = i + 1;
      while (j < n && isSpace(sql.charCodeAt(j))) j++;
      // After a removed comment the separating space is already there.
      const last = parts.length > 0 ? parts[parts.length - 1] : '';
      if (!(afterComment && last === ' ')) parts.push(sql.slice(i, j));
      afterComment = false;
      i = j;
      continue;
    }
    afterComment = false;
    // Comments.
    if ((c === 45 && d === 45) || (c === 35 && (d === 32 || d === 9 || d === -1))) {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? n : nl;
      space();
      afterComment = true;
      continue;
    }
    if (c === 47 && d === 42) {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
      space();
      afterComment = true;
      continue;
    }
    // Single-quoted strings, with an optional one-letter prefix (E'', N'', X'', B'') or U&''.
    if (c === 39) {
      i = skipQuoted(sql, i, 39, true);
      emitLiteral();
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(sql.charCodeAt(j))) j++;
      const next = j < n ? sql.charCodeAt(j) : -1;
      const word = sql.slice(i, j);
      const prefixed = next === 39 && (j - i === 1 ? /^[EeNnXxBbRr]$/.test(word) : false);
      const unicodePrefixed = (word === 'U' || word === 'u') && next === 38 && j + 1 < n && sql.charCodeAt(j + 1) === 39;
      if (prefixed || unicodePrefixed) {
        i = skipQuoted(sql, unicodePrefixed ? j + 1 : j, 39, true);
        emitLiteral();
        continue;
      }
      parts.push(word);
      const lower = word.toLowerCase();
      if (lower === 'values') valuesDepth = depth;
      else if (depth <= valuesDepth) valuesDepth = -1;
      if (lower === 'in') pendingIn = true;
      else {
        pendingIn = false;
        notLiteral();
      }
      lastKind = 'word';
      lastText = lower;
      i = j;
      continue;
    }
    // Numbers (not glued to an identifier, which the branch above consumed whole).
    if (isDigit(c) || (c === 46 && isDigit(d))) {
      i = skipNumber(sql, i);
      emitLiteral();
      continue;
    }
    // Double-quoted: identifier, or a string value (MySQL) in value position.
    if (c === 34) {
      const end = skipQuoted(sql, i, 34, false);
      const inner = sql.slice(i + 1, end - 1);
      const valuePosition =
        (lastKind === 'op' && VALUE_CONTEXT_OPS.has(lastText)) ||
        (lastKind === 'word' && VALUE_CONTEXT_WORDS.has(lastText)) ||
        (listStart !== -1 && depth === listDepth) ||
        (valuesDepth !== -1 && depth > valuesDepth);
      const identifierShaped = /^[A-Za-z_][\w$ .-]{0,127}$/.test(inner) && end <= n && sql.charCodeAt(end - 1) === 34;
      if (valuePosition || !identifierShaped) {
        i = end;
        emitLiteral();
        continue;
      }
      parts.push(sql.slice(i, end));
      notLiteral();
      pendingIn = false;
      lastKind = 'word';
      lastText = inner.toLowerCase();
      i = end;
      continue;
    }
    // Backtick and bracket identifiers.
    if (c === 96 || c === 91) {
      const close = sql.indexOf(c === 96 ? '`' : ']', i + 1);
      const end = close === -1 ? n : close + 1;
      parts.push(sql.slice(i, end));
      notLiteral();
      pendingIn = false;
      lastKind = 'word';
      lastText = '';
      i = end;
      continue;
    }
    // Dollar: placeholder `$1`, or a dollar-quoted string `$$…$$` / `$tag$…$tag$`.
    if (c === 36) {
      if (isDigit(d)) {
        let j = i + 1;
        while (j < n && isDigit(sql.charCodeAt(j))) j++;
        parts.push(sql.slice(i, j));
        notLiteral();
        pendingIn = false;
        lastKind = 'value';
        lastText = '$';
        i = j;
        continue;
      }
      let j = i + 1;
      while (j < n && j - i <= 64 && isIdentChar(sql.charCodeAt(j)) && sql.charCodeAt(j) !== 36) j++;
      if (j < n && sql.charCodeAt(j) === 36) {
        const tag = sql.slice(i, j + 1);
        const close = sql.indexOf(tag, j + 1);
        i = close === -1 ? n : close + tag.length;
        emitLiteral();
        continue;
      }
    }
    // Named placeholders `:name` (not `::type` casts) and `@name`; printf-style `%s`, `%(name)s`.
    if ((c === 58 && d !== 58 && isIdentStart(d) && (i === 0 || sql.charCodeAt(i - 1) !== 58)) || (c === 64 && isIdentStart(d))) {
      let j = i + 1;
      while (j < n && isIdentChar(sql.charCodeAt(j))) j++;
      parts.push(sql.slice(i, j));
      notLiteral();
      pendingIn = false;
      lastKind = 'value';
      lastText = ':';
      i = j;
      continue;
    }
    // Everything else: operators and punctuation, copied.
    if (c === 40) {
      depth++;
      if (pendingIn && listStart === -1) {
        listStart = parts.length;
        listDepth = depth;
        listOnlyLiterals = true;
        listLiterals = 0;
      } else notLiteral();
      pendingIn = false;
      parts.push('(');
      lastKind = 'op';
      lastText = '(';
      i++;
      continue;
    }
    if (c === 41) {
      if (listStart !== -1 && depth === listDepth) {
        if (listOnlyLiterals && listLiterals > 0) {
          parts.length = listStart;
          parts.push('(' + LITERAL);
        }
        listStart = -1;
      }
      depth = depth > 0 ? depth - 1 : 0;
      parts.push(')');
      lastKind = 'op';
      lastText = ')';
      i++;
      continue;
    }
    if (c === 63) {
      // `?` placeholder (JDBC, MySQL, SQLite).
      parts.push('?');
      if (listStart !== -1 && depth === listDepth) listLiterals++;
      lastKind = 'value';
      lastText = '?';
      i++;
      continue;
    }
    // Operators: take a run of operator characters as one token for context.
    let j = i + 1;
    if (c !== 44 && c !== 59) while (j < n && j - i < 3 && '<>=!|'.indexOf(sql[j]) !== -1) j++;
    const op = sql.slice(i, j);
    parts.push(op);
    if (c !== 44) notLiteral(); // commas are part of a literal list
    if (c !== 44 || listStart === -1) pendingIn = false;
    lastKind = 'op';
    lastText = op;
    i = j;
  }
  return parts.join('').trim();
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

/** End index of a numeric literal at `start` (`12`, `1.5e-3`, `.5`, `0x1F`, `0b101`, `1_000`). */
function skipNumber(sql: string, start: number): number {
  const n = sql.length;
  let i = start;
  const c1 = i + 1 < n ? sql.charCodeAt(i + 1) | 32 : -1;
  if (sql.charCodeAt(i) === 48 && (c1 === 120 || c1 === 98)) {
    i += 2;
    while (i < n && /[0-9A-Fa-f_]/.test(sql[i])) i++;
    return i;
  }
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
