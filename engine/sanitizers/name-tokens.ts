/**
 * Identifier tokens in span names (`sanitizers.spanName`), outside paths, URLs and statements: span names are
 * low-cardinality by convention, so a word of a name that reads as an identifier is templated to `{id}`:
 * `GET user:8f3a9c2e71d04b5a` → `GET user:{id}`, `GET urn:user:4711` → `GET urn:user:{id}`,
 * `GET /users/ 4711` → `GET /users/ {id}`, `alice-1234.users.example.test` → `{id}.users.example.test`.
 */

import { ROUTE_TEMPLATE as TEMPLATE, lookupKeySegment, peopleSegment, valueAfterPeople } from './people-routes';

/** Written in place of an identifier token. */
const ID = '{id}';

/** Opening punctuation kept outside a word: `(`, `"`, `'`, `<`, `[`. */
const OPENERS = '("\'<[';
/** Closing punctuation kept outside a word: `.`, `,`, `;`, `:`, `!`, `?`, `)`, `"`, `'`, `>`, `]`. */
const CLOSERS = '.,;:!?)"\'>]';

/** Whitespace-separated words (one compiled pattern, reused; `lastIndex` reset per call). */
const WORD = /\S+/g;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LONG_HEX = /^(?=[0-9a-f]*\d)[0-9a-f]{12,}$/i;
const INTEGER = /^[-+]?\d{2,}$/;
/** An e-mail address: left to the value detectors, which mask it as `[REDACTED:email]` (and count it). */
const EMAIL = /^[^@\s]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}$/;
/** An IPv4 address or a version (`10.0.0.5`, `1.10.2`): left to the value detectors. */
const NUMERIC_DOTTED = /^v?\d+(?:\.\d+)+$/;
/** A host name with a top-level label of letters (`alice-1234.users.example.test`). */
const HOST_NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.[A-Za-z]{2,63}$/;
/** An RPC span name `package.Service/Method` (`grpc.health.v1.Health/Check`). */
const RPC_NAME = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\/[A-Za-z_]\w*$/;
/** `scheme://authority` at the start of a URL word (the authority up to `/`, `?`, `#` or `\`). */
const URL_AUTHORITY = /^([A-Za-z][A-Za-z0-9+.-]{0,31}:)?\/\/([^/?#\\]*)/;
/** A time of day (`10:30`, `23:59:59`): no identifier. */
const TIME_OF_DAY = /^(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?$/;

/**
 * Key words (lower case, without `_`, `-`, `.`) after which the value of a `key:value` or `key=value` token is an
 * identifier whatever its shape (`user:alice`, `session=abc`).
 */
const IDENTIFIER_KEYS = new Set(
  (
    'id uid uuid guid user users userid username login customer customers customerid cust account accounts ' +
    'accountid acct member memberid person people subscriber patient employee session sessions sessionid sess sid ' +
    'token email mail phone msisdn device deviceid visitor visitorid'
  ).split(' '),
);

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Whether a token is an identifier by its shape alone: an `@` inside it (`user@host`; an e-mail address is left to
 * the value detectors, which mask it as `[REDACTED:email]`), an integer of two
 * digits or more, a UUID, a hex string of 12 characters or more with a digit, 16 characters or more holding a digit
 * and both letter cases (`Zk3pQ9xT2mLw8RvB`), or 16 letters and digits or more with four digits (`k3j5h2g6f7d8s9a0`).
 */
export function isIdentifierToken(s: string): boolean {
  const n = s.length;
  if (n < 2) return false;
  if (s.indexOf('@') > 0) return !EMAIL.test(s);
  if (INTEGER.test(s) || UUID.test(s) || LONG_HEX.test(s)) return true;
  if (n < 16) return false;
  let digits = 0;
  let upper = false;
  let lower = false;
  let alnum = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 97 && c <= 122) lower = true;
    else alnum = false;
  }
  return digits > 0 && ((upper && lower) || (alnum && digits >= 4));
}

/**
 * Whether a value or host label carries a number: three digits or more (`u-4711`, `alice-1234`), or a run of two
 * digits not right after a letter (`INV-42`; `v10`, `db01` stay).
 */
function hasIdDigits(s: string): boolean {
  let digits = 0;
  let run = 0;
  let afterLetter = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) {
      run = 0;
      continue;
    }
    if (run === 0) afterLetter = i > 0 && isLetter(s.charCodeAt(i - 1));
    run++;
    if (++digits >= 3 || (run >= 2 && !afterLetter)) return true;
  }
  return false;
}

function identifierKey(key: string): boolean {
  if (key.length === 0 || key.length > 32) return false;
  let k = '';
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c !== 95 && c !== 45 && c !== 46) k += key[i];
  }
  k = k.toLowerCase();
  // a plural names the same thing (`members`, `patients`, `devices`)
  return IDENTIFIER_KEYS.has(k) || (k.length > 3 && k.endsWith('s') && IDENTIFIER_KEYS.has(k.slice(0, -1)));
}

/**
 * A name with a number at its end (`jane-0001`, `cust_jane-0001`, `INV-042`, `jane0001`): words of letters, then a
 * run of four digits or more, or of three or more starting with `0`, after a separator (`-`, `_`) or, with the
 * leading `0`, right after the letters. Versions, algorithms and models (`sha256`, `aes-256`, `x509`, `python3`,
 * `gpt-4o-2024-08-06`, `claude-3-5-sonnet-20241022`) stay: a digit inside the letters, or three digits without a
 * leading zero.
 */
export function isNumberedName(s: string): boolean {
  const n = s.length;
  let i = 0;
  while (i < n && !isDigit(s.charCodeAt(i))) {
    const c = s.charCodeAt(i);
    if (!isLetter(c) && !((c === 45 || c === 95) && i > 0 && isLetter(s.charCodeAt(i - 1)))) return false;
    i++;
  }
  const run = n - i;
  if (i === 0 || run < 3) return false;
  for (let j = i; j < n; j++) if (!isDigit(s.charCodeAt(j))) return false;
  const sep = !isLetter(s.charCodeAt(i - 1));
  const zero = s.charCodeAt(i) === 48;
  return sep ? run >= 4 || zero : zero;
}

/** A route word that is no value: lower-case letters, words joined by `-` or `_`, camelCase, a version (`by-email`, `v2`). */
const ROUTE_WORD = /^[a-z]+(?:[-_][a-z]+)*$|^[a-z]+(?:[A-Z][a-z]+)+$|^v\d{1,3}$/;

/**
 * A segment right after a word that names people or their keys (`users`, `customer`, `session`, see
 * `IDENTIFIER_KEYS`), in a path or a dotted name: a value unless it is a route word (`/users/current`,
 * `/users/by-email`), a template (`{id}`, `:id`, `*`) or empty (`/users/jane.doe` → `/users/{id}`).
 */
function valueAfterKey(seg: string): boolean {
  return seg.length > 0 && seg !== ID && !ROUTE_WORD.test(seg) && !TEMPLATE.test(seg);
}

/**
 * `text` split at `sep` with each segment that is a numbered name (`isNumberedName`) or a value after an identifier
 * key (`valueAfterKey`) templated: `users.jane-0001` → `users.{id}`, `/users/jane.doe/orders` → `/users/{id}/orders`.
 * In paths (`sep` `/`) a segment runs to the next `/`, so `jane.doe` is one segment.
 */
function templateSegments(text: string, sep: string): string {
  if (text.indexOf(sep) === -1) return isNumberedName(text) ? ID : text;
  const parts = text.split(sep);
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const seg = parts[i]!;
    const prev = i > 0 ? parts[i - 1]! : undefined;
    // after `users` (or after a lookup key right after it: `/users/by-name/jane`)
    const afterPeople =
      sep === '/' &&
      prev !== undefined &&
      (peopleSegment(prev) || (i > 1 && peopleSegment(parts[i - 2]!) && lookupKeySegment(prev)));
    const value =
      prev !== undefined &&
      (afterPeople ? valueAfterPeople(seg) : valueAfterKey(seg) && identifierKey(prev)) &&
      !(sep === '/' && peopleSegment(prev) && lookupKeySegment(seg));
    if (isNumberedName(seg) || value) {
      parts[i] = ID;
      changed = true;
    }
  }
  return changed ? parts.join(sep) : text;
}

/**
 * Host labels that read as identifiers (`alice-1234`, a UUID) become `{id}`, and so does a label under one that names
 * people (`alice.users.example.test` → `{id}.users.example.test`); IP addresses are left to the detectors.
 */
function templateHost(host: string): string {
  if (host.length === 0 || NUMERIC_DOTTED.test(host) || host.charCodeAt(0) === 91) return host;
  const labels = host.split('.');
  let changed = false;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    // under a label naming people with a domain of two labels or more after it (`alice.users.example.test`)
    const underPeople = i + 3 < labels.length && identifierKey(labels[i + 1]!);
    if (l !== ID && (isIdentifierToken(l) || hasIdDigits(l) || underPeople)) {
      labels[i] = ID;
      changed = true;
    }
  }
  return changed ? labels.join('.') : host;
}

/** A `key:value` / `key=value` token (also `urn:nid:nss`, `host:port`) with its identifier parts `{id}`. */
function templateKeyed(w: string): string {
  if (w.length > 4 && (w.charCodeAt(3) === 58 || w.charCodeAt(3) === 61) && w.slice(0, 3).toLowerCase() === 'urn') {
    // urn:<namespace>:<specific string>: the specific string identifies one thing by definition
    const second = w.indexOf(':', 4);
    return second === -1 || second === w.length - 1 ? w : `${w.slice(0, second + 1)}${ID}`;
  }
  const parts = w.split(/([:=])/);
  // host:port (`redis.internal:6379`, `localhost:5432`): the port stays, the host's labels are read as a host's
  if (parts.length === 3 && parts[1] === ':' && /^\d{1,5}$/.test(parts[2]!) && Number(parts[2]) <= 65535) {
    const host = parts[0]!;
    if (host === 'localhost' || HOST_NAME.test(host) || NUMERIC_DOTTED.test(host))
      return templateHost(host) + ':' + parts[2];
  }
  let changed = false;
  for (let i = 0; i < parts.length; i += 2) {
    const seg = parts[i]!;
    if (seg.length === 0 || seg === ID || TEMPLATE.test(seg)) continue;
    const inner =
      seg.length > 2 && seg.charCodeAt(0) === 123 && seg.charCodeAt(seg.length - 1) === 125 ? seg.slice(1, -1) : seg;
    const id =
      isIdentifierToken(inner) ||
      (i > 0 && (hasIdDigits(inner) || identifierKey(parts[i - 2]!))) ||
      (HOST_NAME.test(inner) && templateHost(inner) !== inner);
    if (id) {
      parts[i] = ID;
      changed = true;
    }
  }
  return changed ? parts.join('') : w;
}

/** One word of a name (punctuation around it removed) with its identifier tokens templated. */
function templateWord(w: string, keep: ReadonlySet<string> | undefined): string {
  if (w.indexOf('/') !== -1 || w.indexOf('\\') !== -1) {
    // Paths and URLs went through the URL sanitizer; their host is read here (`https://alice-1234.example.test/x`).
    if (RPC_NAME.test(w)) return hasIdDigits(w) ? w.replace(/[^./]+/g, (l) => (hasIdDigits(l) ? ID : l)) : w;
    const m = URL_AUTHORITY.exec(w);
    if (m === null) return templatePath(w, 0);
    const authority = m[2]!;
    const at = authority.lastIndexOf('@');
    const userinfo = at === -1 ? '' : authority.slice(0, at + 1);
    const hostPort = authority.slice(at + 1);
    const colon = hostPort.lastIndexOf(':');
    const host = colon > 0 && hostPort.indexOf(']') < colon ? hostPort.slice(0, colon) : hostPort;
    const clean = templateHost(host);
    if (clean === host) return templatePath(w, m[0].length);
    const start = (m[1]?.length ?? 0) + 2;
    return (
      w.slice(0, start) +
      userinfo +
      clean +
      hostPort.slice(host.length) +
      templatePath(w, m[0].length).slice(m[0].length)
    );
  }
  if (w.indexOf('@') > 0) return EMAIL.test(w) ? w : ID;
  // the detectors' masks (`[REDACTED:bearer-token]`, `authorization=[REDACTED:…]`) and times of day stay
  if (w.indexOf('REDACTED') !== -1 || TIME_OF_DAY.test(w)) return w;
  const colon = w.indexOf(':');
  // a pseudonym or encryption token the policy wrote (`k1:…`): the policy's own output
  if (colon > 0 && keep !== undefined && keep.has(w.slice(0, colon)) && w.indexOf(':', colon + 1) === -1) return w;
  if (colon !== -1 || w.indexOf('=') !== -1) return templateKeyed(w);
  if (isIdentifierToken(w)) return ID;
  // a dotted word is read as a host name and as a dotted name (`users.jane-0001`, `shop.users.JaneDoe`)
  return templateSegments(w.indexOf('.') !== -1 && HOST_NAME.test(w) ? templateHost(w) : w, '.');
}

/**
 * A URL-like word with the segments of its path from `from` (up to `?` or `#`) read by `templateSegments`; a `\\`
 * separates segments as a `/` does (`send x\\4711`, `GET users\\jane-0001`: Windows paths, and what a browser reads
 * after a host), each separator kept as written.
 */
function templatePath(w: string, from: number): string {
  const q = w.indexOf('?', from);
  const h = w.indexOf('#', from);
  const end = q === -1 ? (h === -1 ? w.length : h) : h === -1 ? q : Math.min(q, h);
  const path = w.slice(from, end);
  if (path.indexOf('\\') === -1) {
    const clean = templateSegments(path, '/');
    return clean === path ? w : w.slice(0, from) + clean + w.slice(end);
  }
  // The URL sanitizer, which templates identifier segments of `/` paths before this runs, does not split at `\\`:
  // here a segment that is an identifier token (`4711`, a UUID) is templated too, keeping a file extension
  // (`4711.json` → `{id}.json`) as the URL sanitizer does.
  const slashed = path.replace(BACKSLASHES, '/');
  const parts = templateSegments(slashed, '/').split('/');
  const separators = path.match(SEGMENT_SEPARATORS)!;
  let out = '';
  for (let k = 0; k < parts.length; k++) out += (k === 0 ? '' : separators[k - 1]!) + identifierSegment(parts[k]!);
  return out === path ? w : w.slice(0, from) + out + w.slice(end);
}

/** A path segment that is an identifier token, with or without a file extension, templated (`4711.json` → `{id}.json`). */
function identifierSegment(part: string): string {
  if (part === ID) return part;
  if (isIdentifierToken(part)) return ID;
  const dot = part.lastIndexOf('.');
  return dot > 0 && isIdentifierToken(part.slice(0, dot)) ? ID + part.slice(dot) : part;
}

const BACKSLASHES = /\\/g;
const SEGMENT_SEPARATORS = /[/\\]/g;

/**
 * A span name with each word that reads as an identifier templated to `{id}` (see the module comment): a word with
 * an `@` inside (not an e-mail address: the value detectors mask those), an integer of two digits or more, a UUID, a long hex string or a token (see
 * `isIdentifierToken`); in `key:value` and `key=value` words, values that are identifiers, carry a number
 * (`user:u-4711`) or follow an identifier key (`user:alice`, `session:abc`); the specific part of a URN; host labels
 * that carry a number (`alice-1234.users.example.test`, also in URLs). Templates (`{id}`, `:id`, `*`), route
 * words, ports, versions and IP addresses stay; so do `<id>:…` words whose `<id>` is in `keep` (the key ids of the
 * policy's pseudonyms and encryption tokens). Runs after the value detectors, whose masks it leaves as they are.
 * Never throws.
 */
export function templateNameTokens(name: string, keep?: ReadonlySet<string>): string {
  if (typeof name !== 'string') return name;
  let candidate = false;
  for (let i = 0; i < name.length && !candidate; i++) {
    const c = name.charCodeAt(i);
    candidate = isDigit(c) || c === 64 || c === 58 || c === 61 || c === 46 || c === 47 || c === 92;
  }
  if (!candidate) return name;
  let out = '';
  let last = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(name); m !== null; m = WORD.exec(name)) {
    const word = m[0];
    let from = 0;
    let to = word.length;
    while (from < to && OPENERS.indexOf(word[from]!) !== -1) from++;
    while (to > from && CLOSERS.indexOf(word[to - 1]!) !== -1) to--;
    if (to - from < 2) continue;
    const core = word.slice(from, to);
    const clean = templateWord(core, keep);
    if (clean === core) continue;
    out += name.slice(last, m.index + from) + clean;
    last = m.index + to;
  }
  return last === 0 ? name : out + name.slice(last);
}
