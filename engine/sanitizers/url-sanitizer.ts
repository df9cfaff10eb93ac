/**
 * URL sanitizer (`sanitizers.url` in the policy): strips userinfo; redacts query, matrix and fragment
 * parameter values (by default every value whose name is not kept, see `UrlParamsMode`); replaces
 * path segments that read as values (ids, emails, non-ASCII text, tokens, see `isIdSegment`; a person's key or a
 * credential after `users`, `reset-password`, …, see `people-routes.ts`) with `{id}` and cuts long paths after `maxSegments` segments. A hand-written, allocation-light parser
 * that keeps the original text (no normalization), works on full URLs, path+query (`http.target`)
 * and bare query strings (`url.query`); the sanitizer it builds never throws.
 */

import {
  blankAfterPeople,
  lookupKeySegment,
  peopleSegment,
  safeDecode,
  templateBlankSegmentPeoplePaths,
  templateEscapedPeoplePaths,
  valueAfterPeople,
} from './people-routes';

/** The semantic conventions' sensitive query parameters (case-sensitive). */
export const DEFAULT_SENSITIVE_PARAMS: readonly string[] = Object.freeze([
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'AWSAccessKeyId',
  'Signature',
  'sig',
  'X-Goog-Signature',
]);

/**
 * Parameters always redacted besides `DEFAULT_SENSITIVE_PARAMS`, compared by `paramByMeaning` (any
 * case or naming style: `accessToken`, `access_token`, `ACCESS-TOKEN`): credentials and personal
 * fields.
 */
export const DEFAULT_PERSONAL_PARAMS: readonly string[] = Object.freeze([
  // credentials
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth_token',
  'session_token',
  'jwt',
  'api_key',
  'x-api-key',
  'apikey',
  'access_key',
  'secret',
  'client_secret',
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'otp',
  'pin',
  'cvv',
  'cvc',
  'authorization',
  'sessionid',
  'session_id',
  'jsessionid',
  'phpsessid',
  'sid',
  // personal
  'name',
  'first_name',
  'last_name',
  'full_name',
  'given_name',
  'family_name',
  'middle_name',
  'surname',
  'username',
  'user_name',
  'display_name',
  'nickname',
  'login',
  'email',
  'e-mail',
  'mail',
  'email_address',
  'phone',
  'phone_number',
  'mobile',
  'tel',
  'telephone',
  'fax',
  'address',
  'street',
  'street_address',
  'address_line1',
  'address_line2',
  'zip',
  'zipcode',
  'postcode',
  'postal_code',
  'dob',
  'birthdate',
  'birth_date',
  'date_of_birth',
  'birthday',
  'ssn',
  'social_security_number',
  'national_id',
  'passport',
  'iban',
  'card_number',
  'cc_number',
]);

/**
 * Words that make any parameter name sensitive wherever they occur in it (in `paramByMeaning` form):
 * `x_refresh_token_v2`, `userPassword`, `billingAddress`, `contactEmail`.
 */
const SENSITIVE_PARAM_WORDS: readonly string[] = [
  'token',
  'password',
  'passwd',
  'secret',
  'apikey',
  'accesskey',
  'privatekey',
  'credential',
  'signature',
  'sessionid',
  'email',
  'phone',
  'address',
  'birth',
];

/**
 * A parameter name in naming-style-free form: percent-decoded, `+` as space, lowercase, without
 * `_`, `-`, `.`, spaces and brackets (`user[email]` → `useremail`).
 */
export function paramByMeaning(name: string): string {
  let decoded = name;
  if (decoded.indexOf('%') !== -1 || decoded.indexOf('+') !== -1) decoded = safeDecode(decoded.replace(/\+/g, ' '));
  let out = '';
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if (c === 95 || c === 45 || c === 46 || c === 32 || c === 91 || c === 93) continue;
    out += decoded[i];
  }
  return out.toLowerCase();
}

/**
 * Whether a parameter name is sensitive whatever the params mode: one of `DEFAULT_SENSITIVE_PARAMS`,
 * `DEFAULT_PERSONAL_PARAMS` or `extra` (by `paramByMeaning`), or a name holding one of the sensitive words
 * (`userPassword`, `contactEmail`). Free text's `key=value` and `key="value"` pairs ask it before a URL-like value is
 * read as a URL on its own (`password=/x/y` stays redacted whole).
 */
export function sensitiveParamTest(extra: readonly string[] = []): (name: string) => boolean {
  const names = new Set<string>(
    [...DEFAULT_SENSITIVE_PARAMS, ...DEFAULT_PERSONAL_PARAMS, ...extra].map(paramByMeaning),
  );
  return (name) => {
    const m = paramByMeaning(name);
    return names.has(m) || SENSITIVE_PARAM_WORDS.some((w) => m.includes(w));
  };
}

/** A percent-encoded `=`. */
const ENCODED_EQUALS = /%3d/i;

/** Written in place of a redacted parameter value. */
export const REDACTED = 'REDACTED';

/** Written in place of an ID-like path segment. */
export const ID_PLACEHOLDER = '{id}';

/** Written in place of the path segments beyond `maxSegments`. */
export const REST_PLACEHOLDER = '{rest}';

/** Path segments kept by default before the rest of the path becomes `REST_PLACEHOLDER`. */
export const DEFAULT_MAX_SEGMENTS = 8;

/**
 * What happens to the value of a query, matrix or fragment parameter the sanitizer knows nothing
 * about (`sanitizers.url.params.mode`):
 * - `allowlist` (default): redacted unless its name is in `keepParams`; a part without `=` (`?4711`,
 *   a plain `#anchor`) is redacted unless it is a listed name;
 * - `denylist`: kept; only sensitive names (built-in lists and `sensitiveParams`) are redacted.
 */
export type UrlParamsMode = 'allowlist' | 'denylist';

/** Options of `createUrlSanitizer` (the policy's `sanitizers.url` block). */
export interface UrlSanitizerOptions {
  /**
   * Parameter names whose values are redacted in addition to `DEFAULT_SENSITIVE_PARAMS` and
   * `DEFAULT_PERSONAL_PARAMS` (compared under any case and naming style, see `paramByMeaning`).
   */
  readonly sensitiveParams?: readonly string[];
  /** `allowlist` (default) or `denylist`, see `UrlParamsMode`. */
  readonly paramsMode?: UrlParamsMode;
  /**
   * With `paramsMode: allowlist`: the parameters whose values are kept (`sanitizers.url.params.keep`, or
   * the older `keepParams`). Listed names that are also sensitive are still redacted. Must be empty
   * with `denylist`.
   */
  readonly keepParams?: readonly string[];
  /**
   * Path segments kept (default `DEFAULT_MAX_SEGMENTS`); a longer path keeps its first `maxSegments`
   * segments and ends in `/{rest}`. At least 1.
   */
  readonly maxSegments?: number;
}

/**
 * Length of the scheme and its `:` at the start of `value` (`^[A-Za-z][A-Za-z0-9+.-]{0,31}:`), 0 when there is none.
 * Read by hand: every URL value starts here, and a regex match allocates its result array.
 */
export function schemeLength(value: string): number {
  if (!isLetter(value.charCodeAt(0))) return 0;
  let i = 1;
  while (i <= 32 && i < value.length) {
    const c = value.charCodeAt(i);
    if (!(isLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45)) break;
    i++;
  }
  return i <= 32 && value.charCodeAt(i) === 58 ? i + 1 : 0;
}

/**
 * Length of `host:port` at the start of `value` (`^[A-Za-z0-9.-]{1,253}:\d{1,5}(?=[/?#]|$)`: `localhost:8080/users/1`
 * has no scheme), 0 when there is none. Read by hand like `schemeLength`.
 */
export function hostPortLength(value: string): number {
  const n = value.length;
  let i = 0;
  while (i <= 253 && i < n) {
    const c = value.charCodeAt(i);
    if (!(isLetter(c) || (c >= 48 && c <= 57) || c === 46 || c === 45)) break;
    i++;
  }
  if (i === 0 || i > 253 || value.charCodeAt(i) !== 58) return 0;
  let j = i + 1;
  while (j <= i + 6 && j < n) {
    const c = value.charCodeAt(j);
    if (c < 48 || c > 57) break;
    j++;
  }
  const digits = j - i - 1;
  if (digits < 1 || digits > 5) return 0;
  if (j === n) return j;
  const next = value.charCodeAt(j);
  return next === 47 || next === 63 || next === 35 ? j : 0;
}
/**
 * A host as URLs write it, with an optional port: a name of letters, digits, `.`, `-` and `_`, or a bracketed IPv6
 * address (with a `%25` zone). Anything else after `//` up to the path (`host%2Fjane-0001`, `host;4711`,
 * `host,x`, a tab, a port with letters) is no host a client can reach: it is written `{id}`.
 */
const AUTHORITY_HOST = /^(?:[A-Za-z0-9_.-]{0,253}|\[[0-9A-Fa-f:.]{2,45}(?:%25[A-Za-z0-9._~-]{1,32})?\])(?::\d{0,5})?$/;
/** A file extension after an identifier (`4711.pdf`, `98765.json`). */
const EXTENSION = /^\.[A-Za-z0-9]{1,5}$/;

/** A segment longer than this is no route word: it is written `{id}` whatever it holds. */
const MAX_ROUTE_WORD = 100;

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Whether `c` is an ASCII hex digit (`0-9`, `a-f`, `A-F`). */
function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Whether `s` is a UUID as written (`8-4-4-4-12` hex digits, any case). */
function isUuid(s: string): boolean {
  if (s.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
    } else if (!isHexDigit(c)) return false;
  }
  return true;
}

/**
 * Whether a decoded segment is an identifier by its characters, in one pass: an integer, a UUID, a hex string of 12
 * or more characters with a digit (trace ids, ObjectIds, digests), or a value by its shape: anything outside
 * printable ASCII (non-ASCII letters, controls), a space (`Jane%20Doe`: names, searches, titles), `@` (handles, emails), a backslash or another character URLs never
 * carry unencoded (`"`, `<`, `>`, `^`, `` ` ``, `|`); three digits or more (`secret-123`, `a1b2c3`, dates); two
 * digits or more not right after a letter (`user-42`, `42abc`; `v10` and `http2` stay route words); or 16 characters
 * or more holding a digit and both letter cases (`cus_NffrFeUfNV2Hib`).
 */
function idByShape(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  let digits = 0;
  let upper = false;
  let lower = false;
  let hex = true; // every character so far is a hex digit
  let run = 0;
  let runAfterLetter = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // A space (`%20`, `+` is not decoded) makes words free text: a name (`Jane%20Doe`), a search, a file title.
    if (c <= 0x20 || c > 0x7e) return true;
    // @ \ " < > ^ ` |
    if (c === 64 || c === 92 || c === 34 || c === 60 || c === 62 || c === 94 || c === 96 || c === 124) return true;
    if (c >= 48 && c <= 57) {
      if (run === 0) runAfterLetter = i > 0 && isLetter(s.charCodeAt(i - 1));
      run++;
      if (++digits >= 3 || (run >= 2 && !runAfterLetter)) return true;
      continue;
    }
    run = 0;
    if (c >= 65 && c <= 90) {
      upper = true;
      if (c > 70) hex = false;
    } else if (c >= 97 && c <= 122) {
      lower = true;
      if (c > 102) hex = false;
    } else hex = false;
  }
  // Here the segment holds at most two digits, not side by side unless after a letter.
  if (digits === n) return true; // an integer (one digit: longer ones returned above)
  if (digits > 0 && ((hex && n >= 12) || (n >= 16 && upper && lower))) return true;
  return n === 36 && isUuid(s);
}

/**
 * Whether one path segment is an identifier or another value rather than a route word: an integer, a
 * UUID, a hex string of 12+ characters with a digit (trace ids, ObjectIds, digests), a segment longer
 * than 100 characters, or one that reads as a value by its characters (see `idByShape`: emails and
 * `@handles`, non-ASCII text, backslashes, digit runs such as `secret-123`, mixed-case tokens). Checked
 * percent-decoded.
 */
export function isIdSegment(segment: string): boolean {
  if (segment.length === 0) return false;
  if (segment.length > MAX_ROUTE_WORD) return true;
  const s = safeDecode(segment);
  return idByShape(s);
}

/**
 * One path segment without its matrix parameters; an identifier with a file extension keeps the
 * extension (`4711.json` → `{id}.json`; not `jane@example.com`, whose "extension" is its domain's).
 */
function sanitizeStem(stem: string): string {
  if (!isIdSegment(stem)) return stem;
  const dot = stem.lastIndexOf('.');
  if (dot > 0 && EXTENSION.test(stem.slice(dot))) {
    const id = stem.slice(0, dot);
    if (id.indexOf('.') === -1 && id.indexOf('@') === -1 && id.indexOf('%') === -1 && isIdSegment(id))
      return ID_PLACEHOLDER + stem.slice(dot);
  }
  return ID_PLACEHOLDER;
}

/**
 * Replaces ID-like segments of a path (`/users/4711/orders` → `/users/{id}/orders`), and a segment after one naming
 * people or a credential that is not made of route words (`/users/alice` → `/users/{id}`,
 * `/reset-password/hKqPzTrW…` → `/reset-password/{id}`, see `people-routes.ts`); segments beyond
 * `maxSegments` become one `{rest}`. `segment` sanitizes each segment (default: its stem before `;`
 * by the ID rules, matrix parameters kept as they are).
 */
export function sanitizeUrlPath(
  path: string,
  maxSegments: number = DEFAULT_MAX_SEGMENTS,
  segment: (segment: string) => string = defaultSegment,
): string {
  if (path.length === 0) return path;
  let out = '';
  let start = 0;
  // The empty text before a leading `/` is not a segment.
  let counted = path.charCodeAt(0) === 47 ? -1 : 0;
  let afterPeople = false;
  // whether each segment of the path as resolved so far (`..` removes one) makes the next a person's key, last in bit 0
  let resolved = 0;
  for (;;) {
    const slash = path.indexOf('/', start);
    const end = slash === -1 ? path.length : slash;
    const seg = path.slice(start, end);
    const done = segment(seg);
    // after `users`, `reset-password`, …: a person's key or a credential unless made of route words, whatever its
    // shape (its matrix parameters as `segment` wrote them: `/users/alice;v=2` → `/users/{id};v=2`)
    // percent-encoded too (`/%75sers/jane`)
    const decoded: string = seg.indexOf('%') === -1 ? seg : safeDecode(seg);
    // a lookup key after a people segment (`/users/by-name/jane`): the segment after it is read as the person's key
    const lookup: boolean = afterPeople && lookupKeySegment(decoded);
    if (afterPeople && !lookup && valueAfterPeople(stemOf(seg))) {
      const semi = done.indexOf(';');
      out += semi === -1 ? ID_PLACEHOLDER : ID_PLACEHOLDER + done.slice(semi);
    } else out += done;
    if (slash === -1) return out;
    // an empty or `.` segment after a people segment (`/users//jane`, `/users/./jane`, `/users/;x/jane`) names no one:
    // the segment after it is still read as the person's key; so is the one after `..` when the path resolves to
    // one after a people segment (`/users/x/../jane`) or followed one (`/users/../jane`); a people segment's matrix
    // parameters (`/users;jsessionid=…/jane`) do not hide it
    const stem = stemOf(decoded);
    if (stem === '..') {
      resolved >>>= 1;
      afterPeople = afterPeople || (resolved & 1) === 1;
    } else if (stem.length !== 0 && stem !== '.' && !(afterPeople && blankAfterPeople(stem))) {
      // a segment without a letter or digit once decoded (`%252e`, `%u002e`, `．`, `-`, `_`, `*`, a blank) names no
      // one either: the one after it is still read (`/users/-/janedoe`)
      afterPeople = lookup || peopleSegment(stem);
      resolved = (resolved << 1) | (afterPeople ? 1 : 0);
    }
    out += '/';
    start = slash + 1;
    if (++counted >= maxSegments && start < path.length) return out + REST_PLACEHOLDER;
  }
}

/** A segment without its matrix parameters (`alice;v=1` → `alice`). */
function stemOf(segment: string): string {
  const semi = segment.indexOf(';');
  return semi === -1 ? segment : segment.slice(0, semi);
}

function defaultSegment(segment: string): string {
  const semi = segment.indexOf(';');
  return semi === -1 ? sanitizeStem(segment) : sanitizeStem(segment.slice(0, semi)) + segment.slice(semi);
}

/**
 * End of the authority at the start of `rest` (after `//`): the first `/`, `?`, `#` or `\` (browsers and
 * WHATWG URL parsers read `\` as `/` after the host: `https://host\users\4711`; the path that follows
 * is read by the ID rules, where a segment holding a backslash is `{id}`).
 */
function authorityEnd(rest: string): number {
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35 || c === 92) return i;
  }
  return rest.length;
}

/** `user:password@` whose password holds `/`, `?` or `#`: the index of that `@`, or -1 (a user holds no `[`: `[::1]/#a@b`). */
const USERINFO_WITH_RESERVED = /^[^\s@/?#:[\]]{0,256}:(?!\d{1,5}(?:[/?#]|$))[^\s@]{0,1024}@(?=[A-Za-z0-9[])/;
function userinfoEnd(rest: string, authorityEnd: number): number {
  const at = rest.indexOf('@', authorityEnd);
  if (at === -1 || at > 1300) return -1;
  const m = USERINFO_WITH_RESERVED.exec(rest.slice(0, at + 2));
  return m === null ? -1 : m[0].length - 1;
}

/**
 * Builds a URL sanitizer. Unparseable parts are left as they are for the value detectors, which run on the
 * result. The returned function is not expected to throw; if it did, the processor drops the item and counts it.
 */
export function createUrlSanitizer(options: UrlSanitizerOptions = {}): (value: string) => string {
  const sensitive = new Set<string>(
    [...DEFAULT_SENSITIVE_PARAMS, ...DEFAULT_PERSONAL_PARAMS, ...(options.sensitiveParams ?? [])].map(paramByMeaning),
  );
  const allowlist = (options.paramsMode ?? 'allowlist') === 'allowlist';
  const keepList = options.keepParams ?? [];
  if (!allowlist && keepList.length > 0)
    throw new TypeError(
      'createUrlSanitizer: keepParams needs paramsMode "allowlist" (with "denylist" every value is kept)',
    );
  const keep = new Set<string>(keepList.map(paramByMeaning));
  const maxSegments = options.maxSegments ?? DEFAULT_MAX_SEGMENTS;
  if (!Number.isInteger(maxSegments) || maxSegments < 1)
    throw new TypeError(`createUrlSanitizer: maxSegments must be an integer of at least 1, got ${String(maxSegments)}`);
  // Parameter names repeat: each is decided once (bounded).
  const decided = new Map<string, boolean>();

  /** Whether the value of parameter `name` is redacted (a bare part: whether the part itself is). */
  const redactParam = (name: string): boolean => {
    let r = decided.get(name);
    if (r === undefined) {
      const m = paramByMeaning(name);
      r = sensitive.has(m) || SENSITIVE_PARAM_WORDS.some((w) => m.includes(w)) || (allowlist && !keep.has(m));
      if (decided.size >= 4096) decided.clear();
      if (name.length <= 128) decided.set(name, r);
    }
    return r;
  };

  /**
   * One parameter (`name=value`, or a bare `part`) with its value redacted per the options. In allowlist
   * mode a bare part that is not a kept name is redacted whole (`?4711`, `#jane`): it may be the value. A
   * redacted parameter whose name reads as a value by the path ID rules (`?jane-0001=1`, `?filter[4711]=x`,
   * `?jane@example.com=`) is redacted whole too: the name carries the value.
   */
  const sanitizeParam = (part: string): string => {
    const eq = part.indexOf('=');
    if (eq !== -1) {
      const name = part.slice(0, eq);
      if (!redactParam(name)) return part;
      return isIdSegment(name) ? REDACTED : `${name}=${REDACTED}`;
    }
    return allowlist && part.length > 0 && redactParam(part) ? REDACTED : part;
  };

  /** `a=1&b=2` with values redacted per the options. */
  const sanitizeQuery = (query: string): string => {
    if (query.length === 0) return query;
    let out = '';
    let start = 0;
    for (;;) {
      const amp = query.indexOf('&', start);
      out += sanitizeParam(query.slice(start, amp === -1 ? query.length : amp));
      if (amp === -1) return out;
      out += '&';
      start = amp + 1;
    }
  };

  /** One path segment: its stem by the ID rules, its matrix parameters (`;jsessionid=…;v=1`) like query parameters. */
  const sanitizeSegment = (segment: string): string => {
    let semi = segment.indexOf(';');
    if (semi === -1) return sanitizeStem(segment);
    let out = sanitizeStem(segment.slice(0, semi));
    for (;;) {
      const next = segment.indexOf(';', semi + 1);
      out += ';' + sanitizeParam(segment.slice(semi + 1, next === -1 ? segment.length : next));
      if (next === -1) return out;
      semi = next;
    }
  };

  /**
   * A path segment holding `=` before any `;` as parameters (`access_token=…`, `a=1&b=2`), or `undefined` when it
   * holds none: such a segment is parameters, not a route word.
   */
  const segmentParams = (segment: string): string | undefined => {
    const eq = segment.indexOf('=');
    // `=` written `%3D` (`/cb/access_token%3D…`): the segment is read decoded
    if (eq === -1) {
      if (!ENCODED_EQUALS.test(segment)) return undefined;
      const decoded = safeDecode(segment);
      return decoded.indexOf('=') === -1 ? undefined : segmentParams(decoded);
    }
    const semi = segment.indexOf(';');
    return semi !== -1 && semi < eq ? undefined : sanitizeQuery(segment);
  };

  /**
   * A path segment: parameters as parameters (`/cb/access_token=…` → `/cb/access_token=REDACTED`); what is kept of
   * them is still read by the ID rules as any segment (`/u/ref=4711` → `/u/{id}`, and in denylist mode
   * `/u/ref=4711&token=…` → `/u/{id}`).
   */
  const sanitizePathSegment = (segment: string): string => {
    const params = segmentParams(segment);
    if (params === undefined || params === segment) return sanitizeSegment(segment);
    return isIdSegment(params) ? ID_PLACEHOLDER : params;
  };

  /**
   * A segment of a hash route's path (before its `?`): parameters as parameters, kept ones as written
   * (`#access_token=…&next=/a?b=1`: the `?` in a value made the fragment read as a route).
   */
  const sanitizeRouteSegment = (segment: string): string => segmentParams(segment) ?? sanitizeSegment(segment);

  /** A path: ID-like segments `{id}`, parameter values redacted, cut after `maxSegments` segments. */
  const sanitizePath = (path: string): string => sanitizeUrlPath(path, maxSegments, sanitizePathSegment);

  /**
   * Path, `?query` and `#fragment`. A fragment holding a `?` is a client-side route: its own path and
   * `?query` (`#/cb?access_token=…`) are sanitized the same way, a route segment holding `=` (before any `;`)
   * as parameters (`#access_token=…&next=/a?b=1`); a fragment holding only parameters
   * (`#access_token=…&state=…`) is treated like a query, and a plain anchor (`#section-2`) like a bare
   * query part (redacted in allowlist mode, by the ID rules in denylist mode).
   */
  const sanitizeRest = (rest: string): string => {
    const hash = rest.indexOf('#');
    const beforeHash = hash === -1 ? rest : rest.slice(0, hash);
    const q = beforeHash.indexOf('?');
    const path = q === -1 ? beforeHash : beforeHash.slice(0, q);
    let out = sanitizePath(path);
    if (q !== -1) out += '?' + sanitizeQuery(beforeHash.slice(q + 1));
    if (hash !== -1) {
      const fragment = rest.slice(hash + 1);
      const fq = fragment.indexOf('?');
      if (fq !== -1)
        out +=
          '#' +
          sanitizeUrlPath(fragment.slice(0, fq), maxSegments, sanitizeRouteSegment) +
          '?' +
          sanitizeQuery(fragment.slice(fq + 1));
      else if (fragment.indexOf('=') !== -1) out += '#' + sanitizeQuery(fragment);
      else if (allowlist && fragment.indexOf('/') === -1) out += '#' + sanitizeQuery(fragment);
      else out += '#' + sanitizePath(fragment);
    }
    return out;
  };

  const sanitize = (value: string): string => {
    // a name after a people word and an escaped `/` (`/users%2Fjanedoe`, `\/users\/janedoe`, `next=%2Fusers%2Fjanedoe`)
    value = templateEscapedPeoplePaths(value);
    // a name after a people word and a blank segment or an HTML reference to a dot (`/users/&#46;/janedoe`)
    value = templateBlankSegmentPeoplePaths(value);
    // `host:port/path` is no scheme (`localhost:8080/users/1`).
    const hostPort = hostPortLength(value);
    if (hostPort !== 0) return value.slice(0, hostPort) + sanitizeRest(value.slice(hostPort));
    const scheme = schemeLength(value);
    if (scheme !== 0 || value.startsWith('//')) {
      const schemeText = value.slice(0, scheme);
      let rest = value.slice(schemeText.length);
      if (!rest.startsWith('//')) return schemeText + sanitizeRest(rest); // mailto:, urn:, …
      rest = rest.slice(2);
      // Authority: up to the first '/', '?' or '#'; userinfo ends at its last '@'.
      let end = authorityEnd(rest);
      // `//users/janedoe` without a scheme (`GET //users/janedoe`: a base URL ending in `/` joined with `/users/…`) is
      // a path: no host is named `users`
      if (scheme === 0 && peopleSegment(rest.slice(0, end))) return sanitizeRest(value);
      // A password with an unencoded `/`, `?` or `#` (`https://u:p/ss@host/`) ends the authority
      // early: userinfo then runs to an `@` after it, when what precedes that `@` reads `user:password`.
      if (rest.lastIndexOf('@', end) === -1) {
        const at = userinfoEnd(rest, end);
        if (at !== -1) {
          rest = rest.slice(at + 1);
          end = authorityEnd(rest);
        }
      }
      let authority = rest.slice(0, end);
      const at = authority.lastIndexOf('@');
      if (at !== -1) authority = authority.slice(at + 1);
      if (!AUTHORITY_HOST.test(authority)) authority = ID_PLACEHOLDER;
      return `${schemeText}//${authority}${sanitizeRest(rest.slice(end))}`;
    }
    if (value.startsWith('/')) return sanitizeRest(value);
    if (value.startsWith('?')) return sanitizeRest(value);
    // A bare query string (`a=1&b=2`, also `token=…&next=/a?b=1`: the first `=` comes before any `/` and `?`), or a
    // schemeless URL/path (`example.com/users/1?x=2`).
    const slash = value.indexOf('/');
    const eq = value.indexOf('=');
    if (eq !== -1 && (slash === -1 || eq < slash)) {
      const q = value.indexOf('?');
      if (q === -1 || eq < q) return sanitizeQuery(value);
    }
    return sanitizeRest(value);
  };

  return (value: string): string => {
    if (typeof value !== 'string') return value;
    // No catch: a failure here (a bug) reaches the processor, which drops the whole item and counts it.
    return sanitize(value);
  };
}
