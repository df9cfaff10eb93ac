import { keyShape } from './redis-sanitizer';

/** Written in place of every value. */
const MASKED = '?';

/** Commands whose next line is a data block (the value itself). */
const STORAGE = new Set(['set', 'add', 'replace', 'append', 'prepend', 'cas', 'ms']);
/** Commands whose arguments after the command are all keys. */
const RETRIEVAL = new Set(['get', 'gets']);
/** Commands with one key, then numbers kept (`touch k 60`, `delete k`) or values masked (`incr k 5`). */
const ONE_KEY = new Set(['delete', 'touch', 'incr', 'decr', 'mg', 'md', 'ma', 'mn', 'me']);

/** Every command of the text protocol (protocol.txt); a line after the first must start with one of them. */
const KNOWN = new Set([
  ...STORAGE,
  ...RETRIEVAL,
  ...ONE_KEY,
  ...'gat gats stats verbosity version flush_all quit shutdown cache_memlimit lru_crawler lru slabs watch misbehave'.split(
    ' ',
  ),
]);

/** The white-space separated tokens of one line (spaces, tabs, a trailing `\r`). */
function splitTokens(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? line.charCodeAt(i) : 32;
    if (c === 32 || c === 9 || c === 13) {
      if (start !== -1) out.push(line.slice(start, i));
      start = -1;
    } else if (start === -1) start = i;
  }
  return out;
}

function isDigits(token: string): boolean {
  if (token.length === 0 || token.length > 20) return false;
  for (let k = 0; k < token.length; k++) {
    const c = token.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isCommandWord(token: string): boolean {
  if (token.length === 0 || token.length > 24) return false;
  for (let k = 0; k < token.length; k++) {
    const c = token.charCodeAt(k);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  }
  return true;
}

/**
 * A meta-command flag: kept when it is one letter alone (`v`, `t`, `q`); flags carrying a token
 * (`O…`, `k…`, `T60`) become `?`.
 */
function metaFlag(token: string): string {
  return token.length === 1 && isCommandWord(token) ? token : MASKED;
}

/**
 * `sanitizeMemcached`: text protocol commands, one per line. The command and the shape of each key are
 * kept (`keyShape`: `user:4711` → `user:?`); the data block after a storage command (`set`, `add`,
 * `replace`, `append`, `prepend`, `cas`, `ms`), which is the value, is removed; the numeric fields of
 * storage, `touch` and `gat` commands (flags, expiry, length, CAS id) and `noreply` are kept; `incr`/
 * `decr` amounts, meta-command flags with tokens and every argument of commands it does not know
 * become `?`. `set session:42 0 60 5\r\nhello\r\n` → `set session:? 0 60 5`. The data block is skipped by its
 * length (it may hold line breaks); after the first line, a line whose first word is no command read here is masked
 * whole. Linear time, never throws.
 */
export function sanitizeMemcached(statement: string): string {
  if (typeof statement !== 'string') return statement;
  try {
    const out: string[] = [];
    // Characters of a data block still to skip (its length plus a line end), or 0.
    let skip = 0;
    let first = true;
    for (const raw of statement.split('\n')) {
      if (skip > 0) {
        skip = Math.max(0, skip - raw.length - 1);
        continue;
      }
      const tokens = splitTokens(raw);
      if (tokens.length === 0) continue;
      const name = tokens[0];
      const cmd = name.toLowerCase();
      // After the first line, a first word that is no command this sanitizer knows may be a value's next line.
      if (!isCommandWord(name) || (!first && !KNOWN.has(cmd))) {
        out.push(tokens.map(() => MASKED).join(' '));
        continue;
      }
      first = false;
      const line = [name];
      for (let a = 1; a < tokens.length; a++) {
        const t = tokens[a];
        if (STORAGE.has(cmd)) {
          if (a === 1) line.push(keyShape(t));
          else line.push(cmd === 'ms' && a > 2 ? metaFlag(t) : isDigits(t) || t === 'noreply' ? t : MASKED);
        } else if (RETRIEVAL.has(cmd)) line.push(keyShape(t));
        else if (cmd === 'gat' || cmd === 'gats') line.push(a === 1 ? (isDigits(t) ? t : MASKED) : keyShape(t));
        else if (ONE_KEY.has(cmd)) {
          if (a === 1) line.push(keyShape(t));
          else if (cmd === 'incr' || cmd === 'decr') line.push(t === 'noreply' ? t : MASKED);
          else if (cmd === 'delete' || cmd === 'touch') line.push(isDigits(t) || t === 'noreply' ? t : MASKED);
          else line.push(metaFlag(t));
        } else line.push(MASKED);
      }
      if (STORAGE.has(cmd)) {
        // The data block: `<bytes>` (the fourth argument, the second of `ms`) and its line end; one line when the
        // length is missing. A block shorter than its lines (bytes of characters outside ASCII) skips more.
        const length = tokens[cmd === 'ms' ? 2 : 4];
        skip = length !== undefined && isDigits(length) ? Number(length) + 1 : 1;
      }
      out.push(line.join(' '));
    }
    return out.join('\n');
  } catch {
    return MASKED;
  }
}
