import { templateBlankSegmentPeoplePaths, templateEscapedPeoplePaths } from './people-routes';
import { REDACTED, sanitizeUrlPath, sensitiveParamTest } from './url-sanitizer';

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
 * them (`curl/8.5.0`, `Firefox/121.0`, `AppleWebKit/537.36`, `kube-probe/1.29`, `nginx/1.25.3-alpine`), a protocol
 * version (`HTTP/2`, `HTTP/1.1`), a mobile build (`Mobile/15E148`), a git remote (`git@github.com:acme/shop.git`), a scoped package with or without its version (`@nestjs/core@10.3.0`,
 * `@opentelemetry/instrumentation-http`), a fraction, a range or a cron step (`3/5`, `45/120`, `200-1000/67589`,
 * `12/28`, a cron step: a `*` before `/15`), a rate (`100/s`), a CIDR block (`10.213.0.0/16`, `2001:db8:1::/48`), a
 * Postgres LSN (`3/1A31987`) and a DOI (`10.1038/nature12373`, `doi:10.3170/…`). A date's three numbers
 * (`01/02/1985`) are none of them.
 */
const NOT_A_URL =
  /^(?:[A-Za-z][\w.+-]{0,63}\/v?\d{1,9}(?:\.\d{1,9}){1,3}(?:-[A-Za-z0-9.]{1,32})?|HTTP\/\d(?:\.\d)?|Mobile\/[0-9A-Z]{1,16}|git@[\w.-]{1,253}:[\w.-]{1,128}(?:\/[\w.-]{1,128}){0,8}|@[a-z0-9][\w.-]{0,127}\/[a-z0-9][\w.-]{0,127}@\d[\w.+-]{0,63}|@[a-z0-9][a-z0-9._-]{0,127}\/[a-z][a-z0-9._-]{0,127}|(?:\*|\d{1,7}(?:-\d{1,7})?)\/(?:\d{1,7}|\*)|\d{1,9}\/(?:s|ms|sec|min|m|h|hr|d|day)|\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}|(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)[0-9A-Fa-f:]{2,39}\/\d{1,3}|[0-9A-F]{1,8}\/[0-9A-F]{1,8}|(?:doi:)?10\.\d{4,9}\/[!-~]{1,200})$/;

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

/** Parameter names whose value free text keeps redacted whole (`password=/x`). */
const DEFAULT_SENSITIVE_NAME = sensitiveParamTest();

/** Whitespace-separated words (one compiled pattern, reused; `lastIndex` reset per call). */
const WORD = /\S+/g;

/**
 * CJK and fullwidth punctuation, which no URL is written with unencoded: it ends a URL-like piece of a word
 * (`処理完了：https://…。`, `「/api/v2/orders」`). The fullwidth `／` is none of them (it is read as a `/`).
 */
const CJK_PUNCTUATION = '、。〈〉《》「」『』【】〔〕〖〗〘〙〚〛\u3000！（），：；？［］｛｝｜｡｢｣､';

/** A word holding a character that may split it into pieces (a quote, a `,`, CJK punctuation): see `pieces`. */
const SPLITTER = /["',\u3000-\u303f\uff01-\uff65]/g;

/** Characters before a `'` that make it a quote of the text's structure (`key='…'`, `{'a':'…'}`), not of a path. */
const QUOTE_BEFORE = '=:,{[(';
/** Characters after a `'` that make it a closing quote of the text's structure (`'…',`, `'…'}`). */
const QUOTE_AFTER = ':,}])';
/** Characters after a `"` that make it a closing quote, not one opening a quoted query value (`?q="…"`). */
const CLOSING_AFTER = ',}]:';

/** A logfmt pair `key=value` whose value is read on its own. */
const KEY_VALUE = /^[A-Za-z_][\w.-]{0,63}=/;

/**
 * A date followed by a time, as access logs and servers write their timestamps: `07/Dec/2026:10:15:32` (glued) or
 * `2026/12/07` with ` 10:15:32` after it. A date alone (`dob 01/02/1985`) is no timestamp.
 */
const DATE =
  /^(?:\d{4}\/\d{1,2}\/\d{1,2}|\d{1,2}\/(?:\d{1,2}|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/\d{2,4})((?:[:T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?)$/;
/** A time after a date (` 10:15:32`). */
const TIME_AFTER = /^[ \t]\d{1,2}:\d{2}(?!\d)/;

/**
 * An Amazon resource name: the partition, service, region and account are kept; its resource (`role/deploy`,
 * `user/janedoe`) gets the people rule alone.
 */
const ARN = /^arn:[\w-]{1,32}:[\w-]{0,64}:[\w-]{0,64}:\d{0,12}:/;

/**
 * A container image reference with a tag or digest (`ghcr.io/acme/payments:v3.4.3`, `docker.io/library/nginx:1.25`,
 * `ghcr.io/acme/api@sha256:…`): the registry host (a dotted name or `localhost`, with a port) and the tag or digest
 * are kept as written; the repository path gets the URL rules (`registry/users/janedoe:1` → `registry/users/{id}:1`).
 */
const IMAGE =
  /^((?:[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}|localhost)(?::\d{1,5})?\/)?((?:[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\/){0,8}[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)((?::\w[\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?)$/;

/** A Redis URL naming its database by number (`redis://cache:6379/0`): the number is no identifier. */
const REDIS_DB = /^rediss?:\/\/[\w.-]{1,253}(?::\d{1,5})?\/\d{1,2}$/;

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

/** Whether an ASCII letter. */
function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Whether `word.slice(from, to)` may be URL-like (a `/`, `\\` or `?` in it), read without a copy. */
function mayBeUrlLike(word: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = word.charCodeAt(i);
    if (c === 47 || c === 92 || c === 63) return true;
  }
  return false;
}

/** Whether a scheme character (`[A-Za-z0-9+.-]`). */
function isSchemeChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;
}

/** Whether a character of a parameter's key (`[A-Za-z0-9_.-]`). */
function isKeyChar(c: number): boolean {
  return isSchemeChar(c) || c === 95;
}

/**
 * The key before a quoted value that starts at `at` in `word`: `key="`, `key='`, JSON's `"key":"` (escaped or not);
 * `undefined` when no quote opens the value or no key is written before it.
 */
function keyBeforeQuote(word: string, at: number): string | undefined {
  let i = at - 1;
  if (i < 0 || (word.charCodeAt(i) !== 34 && word.charCodeAt(i) !== 39)) return undefined;
  i--;
  if (i >= 0 && word.charCodeAt(i) === 92) i--;
  if (i < 0 || (word.charCodeAt(i) !== 61 && word.charCodeAt(i) !== 58)) return undefined;
  i--;
  if (i >= 0 && (word.charCodeAt(i) === 34 || word.charCodeAt(i) === 39)) {
    i--;
    if (i >= 0 && word.charCodeAt(i) === 92) i--;
  }
  const end = i + 1;
  while (i >= 0 && end - i <= 64 && isKeyChar(word.charCodeAt(i))) i--;
  // a key starts with a letter or `_`
  const first = word.charCodeAt(i + 1);
  return end > i + 1 && (isLetterCode(first) || first === 95) ? word.slice(i + 1, end) : undefined;
}

/**
 * Where a URL's scheme starts in `url` when text that is no part of a URL is glued before it (`処理完了：https://…`,
 * `see:https://…`): the index of the scheme's first letter, or 0. Text holding `/`, `?`, `#`, `=`, `&` or `@` before
 * the scheme is part of a URL (`/redirect/https://…`, `?next=https://…`): 0.
 */
function schemeStart(url: string): number {
  const sep = url.indexOf('://');
  if (sep <= 0) return 0;
  let i = sep;
  while (i > 0 && isSchemeChar(url.charCodeAt(i - 1))) i--;
  while (i < sep && !isLetterCode(url.charCodeAt(i))) i++;
  if (i === 0 || i === sep) return 0;
  for (let j = 0; j < i; j++) if ('/?#=&@'.indexOf(url[j]) !== -1) return 0;
  return i;
}

/**
 * The pieces of a URL-like word, as `[start, end]` pairs (`undefined`: the whole word, which holds no quote, `,` or
 * CJK punctuation): a `"` (with the `\\` escaping it) ends a piece, so a
 * compact JSON line or a logfmt pair (`{"msg":"…","path":"/users/4711"}`, `image="ghcr.io/acme/api:v1"`) has its
 * values read one by one; so does a `'` of the text's structure (`key='…'`, `{'a':'…'}`, not the one of
 * `/o'brien`) and CJK punctuation (not at the start of a segment: `/users/。/janedoe` is one path). A `"` or `'` right after a query's `=` (`/search?q="jane"`) opens a quoted value,
 * which stays in the URL through its closing quote. A CSV row's `,` splits it too: after a field that holds no URL
 * character, and then between the fields after the URL (outside a query), or after a `)` or `]`.
 */
function pieces(word: string): number[] | undefined {
  SPLITTER.lastIndex = 0;
  let found = SPLITTER.exec(word);
  if (found === null) return undefined;
  const out: number[] = [];
  let start = 0;
  let csv = false;
  // the last CJK punctuation read as part of a segment (after a `/`)
  let inSegment = -2;
  // what of the current piece has been read for URL characters and a `?` (each character once: no rescans)
  let read = 0;
  let urlCharacter = false;
  let query = false;
  const readTo = (to: number): void => {
    for (; read < to; read++) {
      const k = word.charCodeAt(read);
      if (k === 63) query = urlCharacter = true;
      else if (k === 47 || k === 35 || k === 61 || k === 38 || k === 92) urlCharacter = true;
    }
  };
  const n = word.length;
  for (let i = found.index; i < n; i = found.index) {
    const c = word.charCodeAt(i);
    let end = -1;
    if (
      (c === 34 || c === 39) &&
      i > start &&
      word.charCodeAt(i - 1) === 61 &&
      i + 1 < n &&
      CLOSING_AFTER.indexOf(word[i + 1]) === -1 &&
      (readTo(i), query)
    ) {
      // a quoted query value (`?q="jane"`, `?q='jane'`) stays in the URL through its closing quote
      const close = word.indexOf(word[i], i + 1);
      if (close === -1) break;
      read = close + 1;
      SPLITTER.lastIndex = close + 1;
      if ((found = SPLITTER.exec(word)) === null) break;
      continue;
    }
    if (c === 34) {
      // `"`
      end = i > start && word.charCodeAt(i - 1) === 92 ? i - 1 : i;
    } else if (c === 39) {
      // `'`
      if (i === 0 || i === n - 1 || QUOTE_BEFORE.indexOf(word[i - 1]) !== -1 || QUOTE_AFTER.indexOf(word[i + 1]) !== -1)
        end = i;
    } else if (c === 44) {
      // a CSV row's fields (`2026-12-07,/api/v1/orders/{id},ok,12`): a field before the URL holds none of its
      // characters; the fields after it are split off only in such a row, and never inside a query (`?ids=1,2`)
      readTo(i);
      if (!urlCharacter) {
        csv = true;
        end = i;
      } else if ((csv && !query) || (i > start && (word.charCodeAt(i - 1) === 41 || word.charCodeAt(i - 1) === 93)))
        end = i;
    } else if (c >= 0x3000 && CJK_PUNCTUATION.indexOf(word[i]) !== -1) {
      // not when it starts a segment (`/users/。/janedoe`, `/users/。。/janedoe` name janedoe)
      if (i > 0 && (word.charCodeAt(i - 1) === 47 || inSegment === i - 1)) inSegment = i;
      else end = i;
    }
    if (end !== -1) {
      if (end > start) out.push(start, end);
      start = read = i + 1;
      urlCharacter = query = false;
    }
    SPLITTER.lastIndex = i + 1;
    if ((found = SPLITTER.exec(word)) === null) break;
  }
  if (n > start) out.push(start, n);
  return out;
}

/**
 * Free text (a log body, a span name) with every URL-like word through `urlSanitizer`:
 * `GET /users/4711 failed` → `GET /users/{id} failed`, `see https://x.example/a?id=7.` →
 * `see https://x.example/a?id=REDACTED.`. A word is read in pieces (see `pieces`): the values of a compact JSON line,
 * a logfmt pair's quoted value, text around CJK punctuation. Punctuation around a piece (brackets, quotes, a
 * sentence's final `.`) stays outside the URL, and so does text glued before a scheme (`処理完了：https://…`) and a
 * logfmt key (`source=redis://cache:6379/0`; a key `sensitiveName` names, such as `password=/x`, keeps its value
 * redacted whole). Words that are no URL are kept: user agents' product/version, fractions, ranges, cron steps, rates,
 * `HTTP/2`, CIDR blocks, Postgres LSNs, DOIs, npm scoped packages, a timestamp's date (`[07/Dec/2026:10:15:32 +0000]`,
 * `2026/12/07 10:15:32`; a date alone is still rewritten); an ARN and a container image keep their fixed parts.
 * Text without a `/` or `=` is returned as it is, without a scan.
 */
export function sanitizeUrlsInText(
  text: string,
  urlSanitizer: (value: string) => string,
  sensitiveName: (name: string) => boolean = DEFAULT_SENSITIVE_NAME,
): string {
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
    const bounds = pieces(word);
    for (let p = 0; p < (bounds?.length ?? 2); p += 2) {
      const at = bounds === undefined ? m.index : m.index + bounds[p];
      let piece = word;
      let key: string | undefined;
      if (bounds !== undefined) {
        if (!mayBeUrlLike(word, bounds[p], bounds[p + 1])) continue;
        piece = word.slice(bounds[p], bounds[p + 1]);
        if (!isUrlLike(piece)) continue;
        key = keyBeforeQuote(word, bounds[p]);
      }
      const done = rewritePiece(text, at, piece, key, urlSanitizer, sensitiveName);
      if (done === undefined) continue;
      out += text.slice(last, at + done.from) + done.clean;
      last = at + done.to;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * One URL-like piece of a word at `at` in `text` (`quotedKey`: the key before it when a quote opens it) through
 * the rules: what
 * replaces `piece.slice(from, to)`, or `undefined` when it is kept as written.
 */
function rewritePiece(
  text: string,
  at: number,
  piece: string,
  quotedKey: string | undefined,
  urlSanitizer: (value: string) => string,
  sensitiveName: (name: string) => boolean,
): { from: number; to: number; clean: string } | undefined {
  let from = 0;
  let to = piece.length;
  while (from < to && OPENERS.indexOf(piece[from]) !== -1) from++;
  while (to > from && CLOSERS.indexOf(piece[to - 1]) !== -1) to--;
  let url = piece.slice(from, to);
  if (url.length === 0) return undefined;
  // a quoted value after a key a URL's query redacts (`password="/x"`, `{"email":"a/b"}`): redacted whole
  if (from === 0 && quotedKey !== undefined && sensitiveName(quotedKey)) return { from, to, clean: REDACTED };
  // text glued before a scheme (`処理完了：https://…`) is no part of the URL
  const scheme = schemeStart(url);
  if (scheme > 0) {
    from += scheme;
    url = url.slice(scheme);
  }
  // a logfmt pair (`source=redis://cache:6379/0`, `image=ghcr.io/acme/api:v1`): the value is read on its own, unless
  // the key is a sensitive one or the value holds more parameters (`a=1&next=/x` is a query string)
  const key = KEY_VALUE.exec(url);
  if (key !== null) {
    const value = url.slice(key[0].length);
    const q = value.indexOf('?');
    const head = q === -1 ? value : value.slice(0, q);
    if (
      value.length > 0 &&
      head.indexOf('&') === -1 &&
      head.indexOf('=') === -1 &&
      isUrlLike(value) &&
      !sensitiveName(key[0].slice(0, -1))
    ) {
      from += key[0].length;
      url = value;
    }
  }
  if (NOT_A_URL.test(url) || REDIS_DB.test(url)) return undefined;
  const date = DATE.exec(url);
  if (
    date !== null &&
    (date[1].length > 0 || TIME_AFTER.test(text.slice(at + from + url.length, at + from + url.length + 8)))
  )
    return undefined;
  // an ARN before a source file: its resource may end like one (`user/janedoe.rb`)
  const arn = ARN.exec(url);
  if (arn !== null) {
    const resource = url.slice(arn[0].length);
    const clean = arn[0] + sanitizeUrlPath(resource, Number.MAX_SAFE_INTEGER, keepSegment);
    return clean === url ? undefined : { from, to: from + url.length, clean };
  }
  if (url.indexOf('//') === -1 && SOURCE_FILE.test(url)) {
    const clean = sanitizeUrlPath(url, Number.MAX_SAFE_INTEGER, keepSegment);
    return clean === url ? undefined : { from, to: from + url.length, clean };
  }
  const image = IMAGE.exec(url);
  if (image !== null && image[3].length > 0) {
    const clean = (image[1] ?? '') + urlSanitizer(image[2]) + image[3];
    return clean === url ? undefined : { from, to: from + url.length, clean };
  }
  // a URL JSON wrote with every `/` escaped (`https:\/\/host\/a\/4711`) is read unescaped and written back so
  const jsonEscaped = url.indexOf('\\/') !== -1 && url.replace(JSON_SLASH, '').indexOf('/') === -1;
  const plain = jsonEscaped ? url.replace(JSON_SLASH, '/') : url;
  let clean = urlSanitizer(plain);
  if (clean === plain) return undefined;
  if (jsonEscaped) clean = clean.replace(SLASH, '\\/');
  return { from, to: from + url.length, clean };
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
