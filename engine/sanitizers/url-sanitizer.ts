/**
 * URL sanitizer (SPEC §4 `sanitizers.url`): strips userinfo, redacts the values of sensitive query
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

/** Written in place of a redacted parameter value. */
export const REDACTED = 'REDACTED';

/** Written in place of an ID-like path segment. */
export const ID_PLACEHOLDER = '{id}';

/** Options of `createUrlSanitizer` (the policy's `sanitizers.url` block). */
export interface UrlSanitizerOptions {
  /** Parameter names whose values are redacted in addition to `DEFAULT_SENSITIVE_PARAMS` (case-sensitive). */
  readonly sensitiveParams?: readonly string[];
  /**
   * When non-empty, the values of every parameter not listed here are redacted too. An empty list
   * means "not set" (the SPEC's example writes `keepParams: []` as the neutral default).
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

/**
 * Builds a URL sanitizer. Unparseable parts are left as they are for the value detectors, which run on the
 * result. The returned function is not expected to throw; if it did, the processor drops the item and counts it.
 */
export function createUrlSanitizer(options: UrlSanitizerOptions = {}): (value: string) => string {
  const sensitive = new Set<string>([...DEFAULT_SENSITIVE_PARAMS, ...(options.sensitiveParams ?? [])]);
  const keep =
    options.keepParams === undefined || options.keepParams.length === 0
      ? undefined
      : new Set<string>(options.keepParams);

  const redactParam = (name: string): boolean => {
    const decoded = safeDecode(name.replace(/\+/g, ' '));
    if (sensitive.has(name) || sensitive.has(decoded)) return true;
    return keep !== undefined && !keep.has(name) && !keep.has(decoded);
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

  /** Path, `?query` and `#fragment` (a fragment holding parameters is treated like a query). */
  const sanitizeRest = (rest: string): string => {
    const hash = rest.indexOf('#');
    const beforeHash = hash === -1 ? rest : rest.slice(0, hash);
    const q = beforeHash.indexOf('?');
    const path = q === -1 ? beforeHash : beforeHash.slice(0, q);
    let out = sanitizeUrlPath(path);
    if (q !== -1) out += '?' + sanitizeQuery(beforeHash.slice(q + 1));
    if (hash !== -1) {
      const fragment = rest.slice(hash + 1);
      out += '#' + (fragment.indexOf('=') !== -1 ? sanitizeQuery(fragment) : fragment);
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
      let end = rest.length;
      for (let i = 0; i < rest.length; i++) {
        const c = rest.charCodeAt(i);
        if (c === 47 || c === 63 || c === 35) {
          end = i;
          break;
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
