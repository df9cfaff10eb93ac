import { maskJsonValues } from './json-values';
import { STRICT_SQL, sanitizeSql } from './sql-sanitizer';

/** Written in place of every value. */
const MASKED = '?';

/** First words that make a statement of an unknown system read as SQL (`SET`, `GET`, … read as commands). */
const SQL_START =
  /^\s{0,64}(?:SELECT|INSERT|UPDATE|WITH|MERGE|CALL|EXEC|EXECUTE|UPSERT|VALUES|SHOW|DECLARE|TRUNCATE|CREATE|ALTER|DROP|GRANT|REVOKE|EXPLAIN|BEGIN|COMMIT|ROLLBACK|DELETE\s{1,16}FROM|REPLACE\s{1,16}INTO)\b/i;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Whether `word` may be kept as the command of a statement (letters, `_`, `.`; at most 32). */
function isCommandWord(text: string, start: number, end: number): boolean {
  if (end - start > 32) return false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c === 46 && k > start))) return false;
  }
  return true;
}

/**
 * The strictest statement sanitizer, for a statement whose database system is missing or unknown:
 * every literal and value is masked. JSON or shell-style documents (first character `{` or `[`, or any
 * `{` before the end) get every value masked (`maskJsonValues`); statements that start like SQL
 * (`SELECT`, `INSERT`, `DELETE FROM`, …) go through the SQL tokenizer with the strict dialect (nested
 * comments, every `"…"` a value, `//` comments); anything else is read as a command: its first word is
 * kept when it looks like a command name and every following argument (a white-space separated token,
 * quotes grouping) becomes `?` (`SET user:4711 jane` → `SET ? ?`). Linear time, never throws.
 */
export function sanitizeUnknownStatement(statement: string): string {
  if (typeof statement !== 'string') return statement;
  try {
    if (SQL_START.test(statement)) return sanitizeSql(statement, STRICT_SQL);
    if (statement.includes('{') || statement.trimStart().startsWith('[')) return maskJsonValues(statement);
    return maskArguments(statement);
  } catch {
    return MASKED;
  }
}

/** The first word kept (if command-shaped), every further token `?`, line breaks kept. */
function maskArguments(text: string): string {
  const n = text.length;
  const out: string[] = [];
  let sep = ''; // separator before the next token: '', ' ' or '\n'
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (out.length > 0) sep = c === 10 || c === 13 || sep === '\n' ? '\n' : ' ';
      i++;
      continue;
    }
    let j = i + 1;
    if (c === 34 || c === 39) {
      while (j < n && text.charCodeAt(j) !== c) j += text.charCodeAt(j) === 92 ? 2 : 1;
      j = Math.min(j + 1, n);
    } else while (j < n && !isSpace(text.charCodeAt(j))) j++;
    if (sep !== '') out.push(sep);
    out.push(out.length === 0 && isCommandWord(text, i, j) ? text.slice(i, j) : MASKED);
    sep = '';
    i = j;
  }
  return out.join('');
}
