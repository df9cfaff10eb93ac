/** Opening punctuation around a URL in prose: `(`, `"`, `'`, `<`, `[`. */
const OPENERS = '("\'<[';
/** Closing punctuation after a URL in prose: `.`, `,`, `;`, `:`, `!`, `?`, `)`, `"`, `'`, `>`, `]`. */
const CLOSERS = '.,;:!?)"\'>]';

/** A scheme followed by backslashes (`https:\\host\path`), which browsers read as `https://host/path`. */
const SCHEME_BACKSLASHES = /[A-Za-z][A-Za-z0-9+.-]{0,31}:\\\\/;

/** Whitespace-separated words (one compiled pattern, reused; `lastIndex` reset per call). */
const WORD = /\S+/g;

/**
 * Whether a word of free text is URL-like: it holds a `/` (a path, a full URL, `users/4711`), a scheme
 * followed by backslashes (`https:\\host\users\4711`, which browsers read as `https://`) or a
 * query (`?id=4711`: a `?` with a `=` after it).
 */
function isUrlLike(word: string): boolean {
  if (word.indexOf('/') !== -1 || (word.indexOf('\\') !== -1 && SCHEME_BACKSLASHES.test(word))) return true;
  const q = word.indexOf('?');
  return q !== -1 && word.indexOf('=', q) !== -1;
}

/**
 * Free text (a log body, a span name) with every URL-like word through `urlSanitizer`:
 * `GET /users/4711 failed` → `GET /users/{id} failed`, `see https://x.example/a?id=7.` →
 * `see https://x.example/a?id=REDACTED.`. Punctuation around a word (brackets, quotes, a sentence's
 * final `.`) stays outside the URL. Text without a `/` or `=` is returned as it is, without a scan.
 */
export function sanitizeUrlsInText(text: string, urlSanitizer: (value: string) => string): string {
  if (typeof text !== 'string' || (text.indexOf('/') === -1 && text.indexOf('=') === -1 && text.indexOf('\\') === -1))
    return text;
  let out = '';
  let last = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const word = m[0];
    if (!isUrlLike(word)) continue;
    let from = 0;
    let to = word.length;
    while (from < to && OPENERS.indexOf(word[from]) !== -1) from++;
    while (to > from && CLOSERS.indexOf(word[to - 1]) !== -1) to--;
    const url = word.slice(from, to);
    if (url.length === 0) continue;
    const clean = urlSanitizer(url);
    if (clean === url) continue;
    out += text.slice(last, m.index + from) + clean;
    last = m.index + to;
  }
  return last === 0 ? text : out + text.slice(last);
}
