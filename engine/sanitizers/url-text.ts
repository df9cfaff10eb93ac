import { templateBlankSegmentPeoplePaths, templateEscapedPeoplePaths } from './people-routes';
import { sanitizeUrlPath } from './url-sanitizer';

/** Opening punctuation around a URL in prose: `(`, `"`, `'`, `<`, `[`. */
const OPENERS = '("\'<[';
/** Closing punctuation after a URL in prose: `.`, `,`, `;`, `:`, `!`, `?`, `)`, `"`, `'`, `>`, `]`. */
const CLOSERS = '.,;:!?)"\'>]';

/** A scheme followed by backslashes (`https:\\host\path`), which browsers read as `https://host/path`. */
const SCHEME_BACKSLASHES = /[A-Za-z][A-Za-z0-9+.-]{0,31}:\\\\/;

/** JSON's escaped `/` (`\/`). */
const JSON_SLASH = /\\\//g;
/** A `/`. */
const SLASH = /\//g;

/**
 * Words of log lines that hold a `/` and are no URL, kept as written: a product and its version as user agents write
 * them (`curl/8.5.0`, `Firefox/121.0`, `AppleWebKit/537.36`, `kube-probe/1.29`, `nginx/1.25.3-alpine`), a scoped
 * package with its version (`@nestjs/core@10.3.0`), a fraction, a range or a cron step (`3/5`, `45/120`,
 * `200-1000/67589`, `12/28`, a cron step: a `*` before `/15`) and a rate (`100/s`). A date's three numbers (`01/02/1985`) are none of them.
 */
const NOT_A_URL =
  /^(?:[A-Za-z][\w.+-]{0,63}\/v?\d{1,9}(?:\.\d{1,9}){1,3}(?:-[A-Za-z0-9.]{1,32})?|@[a-z0-9][\w.-]{0,127}\/[a-z0-9][\w.-]{0,127}@\d[\w.+-]{0,63}|(?:\*|\d{1,7}(?:-\d{1,7})?)\/(?:\d{1,7}|\*)|\d{1,9}\/(?:s|ms|sec|min|m|h|hr|d|day))$/;

/**
 * A source file's path in a stack frame or a compiler message, with its line and column (`/app/lib/layer.js:95:5`,
 * `/src/app/main.go:27`, Python's quoted `"/usr/lib/python3.11/site-packages/requests/adapters.py"`, Node's
 * `node:internal/process/task_queues:95:5`): no route, so only the people rule applies to it (its versions and line
 * numbers are no identifiers). No host (`//`) and no query.
 */
const SOURCE_FILE =
  /^(?:node:[\w/]{1,200}(?::\d{1,7}){1,2}|(?:file:)?[^?#=\s]{0,1024}\.(?:js|mjs|cjs|ts|mts|cts|tsx|jsx|py|rb|go|java|kt|php|cs|rs|swift|scala|c|cc|cpp|h|hpp|ex|exs|erl|lua|pl|dart)(?::\d{1,7}){0,2})$/;

/** The identity: `sanitizeUrlPath` with the people rule alone (no ID rules on the other segments). */
const keepSegment = (segment: string): string => segment;

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
  if (typeof text !== 'string') return text;
  // a name after a people word and an escaped `/` (`next=%2Fusers%2Fjanedoe`, `https:\/\/host\/users\/janedoe`)
  text = templateEscapedPeoplePaths(text);
  if (text.indexOf('/') === -1 && text.indexOf('=') === -1 && text.indexOf('\\') === -1) return text;
  // a name after a people word and a blank segment (`GET /users/ /janedoe`: the words split at the blank)
  text = templateBlankSegmentPeoplePaths(text);
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
    let url = word.slice(from, to);
    if (url.length === 0 || NOT_A_URL.test(url)) continue;
    if (url.indexOf('//') === -1 && SOURCE_FILE.test(url)) {
      const clean = sanitizeUrlPath(url, Number.MAX_SAFE_INTEGER, keepSegment);
      if (clean !== url) {
        out += text.slice(last, m.index + from) + clean;
        last = m.index + to;
      }
      continue;
    }
    // a URL JSON wrote with every `/` escaped (`https:\/\/host\/a\/4711`) is read unescaped and written back so
    const jsonEscaped = url.indexOf('\\/') !== -1 && url.replace(JSON_SLASH, '').indexOf('/') === -1;
    if (jsonEscaped) url = url.replace(JSON_SLASH, '/');
    let clean = urlSanitizer(url);
    if (clean === url) continue;
    if (jsonEscaped) clean = clean.replace(SLASH, '\\/');
    out += text.slice(last, m.index + from) + clean;
    last = m.index + to;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * A path in free text: a `/` at the start of the text, after a blank, an opening bracket or quote, `=`, `:` (the `//`
 * of `https://host/…`), `,`, or a single-page app's `#` or `#!` (`/app#!/users/janedoe`), through the characters a path is written with (to a blank, `?`, `#`, a quote or a
 * bracket; a `;` of matrix parameters is in it: `/users;jsessionid=…/janedoe`, a sentence's final `;` is not).
 */
const TEXT_PATH = /(?<![^\s("'<[{=:,#!])\/[^\s?#"'<>()[\]{},]*/g;

/**
 * Free text (an `error.type`, an `exception.type`, any kept string that is not a URL attribute) with the people rule
 * of the URL sanitizer applied to each path in it: the segment after one naming people (`users`, `staff`, `authors`,
 * see `people-routes.ts`) is `{id}` unless made of route words (`NotFound /users/janedoe` → `NotFound /users/{id}`);
 * nothing else of the path changes. A path starts at a `/` after a blank, a bracket, a quote or a scheme
 * (`https://host/in/janedoe`); `staff/students` in prose is no path. Text without a `/` is returned as it is.
 */
export function templatePeoplePathsInText(text: string): string {
  // a name after a people word and an escaped `/` (`"\/users\/janedoe"`, `next=%2Fusers%2Fjanedoe`)
  text = templateEscapedPeoplePaths(text);
  if (text.indexOf('/') === -1) return text;
  // a name after a people word and a blank segment (`NotFound /users/ /janedoe`: a path ends at a blank)
  text = templateBlankSegmentPeoplePaths(text);
  let out = '';
  let last = 0;
  TEXT_PATH.lastIndex = 0;
  for (let m = TEXT_PATH.exec(text); m !== null; m = TEXT_PATH.exec(text)) {
    let path = m[0];
    while (path.length > 1 && CLOSERS.indexOf(path[path.length - 1]) !== -1) path = path.slice(0, -1);
    if (path.length < 3) continue;
    const clean = sanitizeUrlPath(path, Number.MAX_SAFE_INTEGER, keepSegment);
    if (clean === path) continue;
    out += text.slice(last, m.index) + clean;
    last = m.index + path.length;
  }
  return last === 0 ? text : out + text.slice(last);
}
