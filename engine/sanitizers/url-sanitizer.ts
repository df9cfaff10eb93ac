/**
 * URL sanitizer (`sanitizers.url` in the policy): strips userinfo, redacts the values of sensitive query
 * parameters and replaces ID-like path segments with `{id}`. A hand-written, allocation-light
 * parser that keeps the original text (no normalization), works on full URLs, path+query
 * (`http.target`) and bare query strings (`url.query`), and never throws.
 */

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

/** Written in place of a redacted parameter value. */
export const REDACTED = 'REDACTED';

/** Written in place of an ID-like path segment. */
export const ID_PLACEHOLDER = '{id}';

/** Options of `createUrlSanitizer` (the policy's `sanitizers.url` block). */
export interface UrlSanitizerOptions {
  /**
   * Parameter names whose values are redacted in addition to `DEFAULT_SENSITIVE_PARAMS` and
   * `DEFAULT_PERSONAL_PARAMS` (compared under any case and naming style, see `paramByMeaning`).
   */
  readonly sensitiveParams?: readonly string[];
  /**
   * Allowlist mode: when non-empty, the values of every parameter not listed here are redacted too
   * (`sanitizers.url.params.keep`, or the older `keepParams`). An empty list means "not set". Listed
   * names that are also sensitive are still redacted.
   */
  readonly keepParams?: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^\d+$/;
const LONG_HEX = /^(?=[0-9a-f]*\d)[0-9a-f]{12,}$/i;
const EMAIL = /^[^@\s/]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,31}:/;
const HOST_PORT = /^[A-Za-z0-9.-]{1,253}:\d{1,5}(?=[/?#]|$)/;

function safeDecode(s: string): string {
  if (s.indexOf('%') === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Whether one path segment is an identifier rather than a route word: an integer, a UUID, a hex
 * string of 12+ characters with a digit (trace ids, ObjectIds, digests) or an email address.
 */
export function isIdSegment(segment: string): boolean {
  if (segment.length === 0 || segment.length > 512) return false;
  const s = safeDecode(segment);
  return INTEGER.test(s) || UUID.test(s) || LONG_HEX.test(s) || (s.indexOf('@') !== -1 && EMAIL.test(s));
}

/** One path segment with ID replacement; `4711.json` keeps its extension (`{id}.json`). */
function sanitizeSegment(segment: string): string {
  if (isIdSegment(segment)) return ID_PLACEHOLDER;
  // Matrix parameters (`users;v=1`) and extensions: test the stem.
  const semi = segment.indexOf(';');
  const stemEnd = semi === -1 ? segment.length : semi;
  const dot = segment.lastIndexOf('.', stemEnd);
  if (dot > 0 && stemEnd - dot <= 6 && isIdSegment(segment.slice(0, dot))) return ID_PLACEHOLDER + segment.slice(dot);
  if (semi > 0 && isIdSegment(segment.slice(0, semi))) return ID_PLACEHOLDER + segment.slice(semi);
  return segment;
}

/** Replaces ID-like segments of a path (`/users/4711/orders` → `/users/{id}/orders`). */
export function sanitizeUrlPath(path: string): string {
  if (path.length === 0) return path;
  let out = '';
  let start = 0;
  for (;;) {
    const slash = path.indexOf('/', start);
    const end = slash === -1 ? path.length : slash;
    out += sanitizeSegment(path.slice(start, end));
    if (slash === -1) return out;
    out += '/';
    start = slash + 1;
  }
}

/** End of the authority at the start of `rest` (after `//`): the first `/`, `?` or `#`. */
function authorityEnd(rest: string): number {
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) return i;
  }
  return rest.length;
}

/** `user:password@` whose password holds `/`, `?` or `#`: the index of that `@`, or -1. */
const USERINFO_WITH_RESERVED = /^[^\s@/?#:]{0,256}:(?!\d{1,5}(?:[/?#]|$))[^\s@]{0,1024}@(?=[A-Za-z0-9[])/;
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
  const keep =
    options.keepParams === undefined || options.keepParams.length === 0
      ? undefined
      : new Set<string>(options.keepParams.map(paramByMeaning));
  // Parameter names repeat: each is decided once (bounded).
  const decided = new Map<string, boolean>();

  const redactParam = (name: string): boolean => {
    let r = decided.get(name);
    if (r === undefined) {
      const m = paramByMeaning(name);
      r = sensitive.has(m) || SENSITIVE_PARAM_WORDS.some((w) => m.includes(w)) || (keep !== undefined && !keep.has(m));
      if (decided.size >= 4096) decided.clear();
      if (name.length <= 128) decided.set(name, r);
    }
    return r;
  };

  /** `a=1&b=2` with values redacted per the options. */
  const sanitizeQuery = (query: string): string => {
    if (query.length === 0) return query;
    let out = '';
    let start = 0;
    for (;;) {
      const amp = query.indexOf('&', start);
      const end = amp === -1 ? query.length : amp;
      const eq = query.indexOf('=', start);
      if (eq !== -1 && eq < end) {
        const name = query.slice(start, eq);
        out += redactParam(name) ? `${name}=${REDACTED}` : query.slice(start, end);
      } else {
        out += query.slice(start, end);
      }
      if (amp === -1) return out;
      out += '&';
      start = amp + 1;
    }
  };

  /** Matrix parameters of one path segment (`;jsessionid=…;v=1`): values redacted like query values. */
  const sanitizeMatrix = (segment: string): string => {
    let out = '';
    let start = 0;
    for (;;) {
      const semi = segment.indexOf(';', start);
      const end = semi === -1 ? segment.length : semi;
      const part = segment.slice(start, end);
      const eq = part.indexOf('=');
      out += start > 0 && eq !== -1 && redactParam(part.slice(0, eq)) ? `${part.slice(0, eq)}=${REDACTED}` : part;
      if (semi === -1) return out;
      out += ';';
      start = semi + 1;
    }
  };

  /** A path: ID-like segments `{id}`, matrix parameter values redacted. */
  const sanitizePath = (path: string): string => {
    const p = sanitizeUrlPath(path);
    if (p.indexOf(';') === -1) return p;
    return p.split('/').map(sanitizeMatrix).join('/');
  };

  /**
   * Path, `?query` and `#fragment`. A fragment is a client-side route: its own path and `?query`
   * (`#/cb?access_token=…`) are sanitized the same way; a fragment holding only parameters
   * (`#access_token=…&state=…`) is treated like a query.
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
      if (fq !== -1) out += '#' + sanitizePath(fragment.slice(0, fq)) + '?' + sanitizeQuery(fragment.slice(fq + 1));
      else if (fragment.indexOf('=') !== -1) out += '#' + sanitizeQuery(fragment);
      else out += '#' + sanitizePath(fragment);
    }
    return out;
  };

  const sanitize = (value: string): string => {
    // `host:port/path` is no scheme (`localhost:8080/users/1`).
    const hostPort = HOST_PORT.exec(value);
    if (hostPort !== null) return hostPort[0] + sanitizeRest(value.slice(hostPort[0].length));
    const scheme = SCHEME.exec(value);
    if (scheme !== null || value.startsWith('//')) {
      const schemeText = scheme === null ? '' : scheme[0];
      let rest = value.slice(schemeText.length);
      if (!rest.startsWith('//')) return schemeText + sanitizeRest(rest); // mailto:, urn:, …
      rest = rest.slice(2);
      // Authority: up to the first '/', '?' or '#'; userinfo ends at its last '@'.
      let end = authorityEnd(rest);
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
      return `${schemeText}//${authority}${sanitizeRest(rest.slice(end))}`;
    }
    if (value.startsWith('/')) return sanitizeRest(value);
    if (value.startsWith('?')) return '?' + sanitizeQuery(value.slice(1));
    // A bare query string (`a=1&b=2`), or a schemeless URL/path (`example.com/users/1?x=2`).
    const slash = value.indexOf('/');
    const eq = value.indexOf('=');
    if (eq !== -1 && (slash === -1 || eq < slash) && value.indexOf('?') === -1) return sanitizeQuery(value);
    return sanitizeRest(value);
  };

  return (value: string): string => {
    if (typeof value !== 'string') return value;
    // No catch: a failure here (a bug) reaches the processor, which drops the whole item and counts it.
    return sanitize(value);
  };
}
