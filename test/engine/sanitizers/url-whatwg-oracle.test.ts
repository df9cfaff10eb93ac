import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PERSONAL_PARAMS,
  DEFAULT_SENSITIVE_PARAMS,
  createUrlSanitizer,
  isIdSegment,
} from '../../../engine/sanitizers/url-sanitizer';
import { valueAfterPeople } from '../../../engine/sanitizers/people-routes';

// A differential oracle for the URL sanitizer, written from the documented rules (docs/policy.md "URL sanitizer",
// docs/detectors.md "Keys and parameters by meaning") with regular expressions, on URLs that the WHATWG parser
// (`new URL`, an independent parser) splits: the oracle sanitizes the parser's `pathname`, `search` and `hash` and
// drops its `username`/`password`. Inputs are built so that `new URL(input).href === input` (the parser would keep
// them as written), which is checked on every input.

// --- the documented rules -------------------------------------------------------------------------------------

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Path segments that read as values (docs/policy.md), on the percent-decoded segment. */
function idByRules(segment: string): boolean {
  if (segment === '') return false;
  if (segment.length > 100) return true;
  const s = decode(segment);
  if (/[^\x21-\x7e]/.test(s)) return true; // non-ASCII, controls, a space
  if (/[@\\"<>^`|]/.test(s)) return true;
  if ((s.match(/[0-9]/g) ?? []).length >= 3) return true;
  if (/(?:^|[^A-Za-z0-9])[0-9]{2}/.test(s)) return true; // two digits not right after a letter
  if (/^[0-9]+$/.test(s)) return true; // an integer
  if (/[0-9]/.test(s) && /^[0-9a-fA-F]{12,}$/.test(s)) return true; // long hex with a digit
  if (s.length >= 16 && /[0-9]/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s)) return true;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s); // a UUID
}

/** A segment's stem: `{id}`, keeping a file extension after an id (`4711.json` → `{id}.json`). */
function stemByRules(stem: string): string {
  if (!idByRules(stem)) return stem;
  const m = /^([^.@%]+)(\.[A-Za-z0-9]{1,5})$/.exec(stem);
  return m !== null && m[1] !== '' && idByRules(m[1]) ? `{id}${m[2]}` : '{id}';
}

const WORDS = ['token', 'password', 'passwd', 'secret', 'apikey', 'accesskey', 'privatekey', 'credential'];
const MORE_WORDS = ['signature', 'sessionid', 'email', 'phone', 'address', 'birth'];
/** Parameter names by meaning: percent-decoded, `+` a space, lowercase, without `_ - . space [ ]`. */
const byMeaning = (name: string): string =>
  (name.includes('%') || name.includes('+') ? decode(name.replace(/\+/g, ' ')) : name)
    .replace(/[_\-. [\]]/g, '')
    .toLowerCase();
const BUILT_IN = new Set([...DEFAULT_SENSITIVE_PARAMS, ...DEFAULT_PERSONAL_PARAMS].map(byMeaning));

interface Mode {
  readonly allowlist: boolean;
  readonly keep: readonly string[];
  readonly maxSegments: number;
}

function paramByRules(part: string, mode: Mode): string {
  const redacts = (name: string): boolean => {
    const m = byMeaning(name);
    if (BUILT_IN.has(m) || [...WORDS, ...MORE_WORDS].some((w) => m.includes(w))) return true;
    return mode.allowlist && !mode.keep.map(byMeaning).includes(m);
  };
  const eq = part.indexOf('=');
  if (eq === -1) return mode.allowlist && part !== '' && redacts(part) ? 'REDACTED' : part;
  const name = part.slice(0, eq);
  if (!redacts(name)) return part;
  return isIdName(name) ? 'REDACTED' : `${name}=REDACTED`;
}
/** A parameter name that reads as a value by the path rules carries the value: the parameter goes whole. */
const isIdName = (name: string): boolean => idByRules(name);

const queryByRules = (q: string, mode: Mode): string =>
  q
    .split('&')
    .map((p) => paramByRules(p, mode))
    .join('&');

/**
 * A segment; one holding `=` before any `;` is parameters (`/cb/token=…`, `#token=…&next=/a?b=1`). Outside a hash
 * route (`route`), what is kept of them is read by the ID rules like any other segment.
 */
const segmentByRules = (seg: string, mode: Mode, route: boolean): string => {
  if (/^[^;]*=/.test(seg)) {
    const params = queryByRules(seg, mode);
    if (route) return params;
    if (params !== seg) return idByRules(params) ? '{id}' : params;
  }
  const [stem, ...matrix] = seg.split(';');
  return [stemByRules(stem!), ...matrix.map((p) => paramByRules(p, mode))].join(';');
};

/**
 * Segments naming people or a credential a link carries (docs/policy.md), percent-decoded (any case, no matrix
 * parameters): the segment after one is `{id}` unless made of route words. Which words those are is the library's
 * list (`valueAfterPeople`, checked on its own by the name-token rule tables and the legit-routes corpus); the oracle
 * checks where the rule applies.
 */
const PEOPLE_OR_CREDENTIAL =
  /^(?:users?|customers?|accounts?|members?|profiles?|people|persons?|patients?|employees?|subscribers?|visitors?|tokens?|passwords?|reset|reset[-_]?password|password[-_]?reset|invites?|invitations?|magic[-_]?link|verify|verification|confirm|confirmation|activate|activation|unsubscribe)$/i;

/**
 * Whether segment `i` follows a people or credential segment (read without its matrix parameters), with only empty,
 * `.` or `..` segments between them (`/users//jane`, `/users/./jane`, `/users;v=1/jane`).
 */
function afterPeopleSegment(segs: readonly string[], i: number): boolean {
  let j = i - 1;
  const stem = (k: number): string => decode(segs[k]!).split(';')[0]!;
  while (j >= 0 && ['', '.', '..'].includes(stem(j))) j--;
  return j >= 0 && PEOPLE_OR_CREDENTIAL.test(stem(j));
}

function pathByRules(path: string, mode: Mode, route = false): string {
  if (path === '') return '';
  const lead = path.startsWith('/') ? '/' : '';
  const segs = path.slice(lead.length).split('/');
  const kept = segs.slice(0, mode.maxSegments).map((s, i) => {
    const done = segmentByRules(s, mode, route);
    if (!afterPeopleSegment(segs, i) || !valueAfterPeople(s.split(';')[0]!)) return done;
    return done.includes(';') ? `{id}${done.slice(done.indexOf(';'))}` : '{id}';
  });
  const rest = segs.slice(mode.maxSegments).join('/');
  if (segs.length > mode.maxSegments && rest !== '') return `${lead + kept.join('/')}/{rest}`;
  return lead + [...kept, ...segs.slice(mode.maxSegments)].join('/');
}

function fragmentByRules(f: string, mode: Mode): string {
  const fq = f.indexOf('?');
  if (fq !== -1) return `${pathByRules(f.slice(0, fq), mode, true)}?${queryByRules(f.slice(fq + 1), mode)}`;
  if (f.includes('=') || (mode.allowlist && !f.includes('/'))) return queryByRules(f, mode);
  return pathByRules(f, mode);
}

/** What the sanitizer should write for `input`, from the WHATWG parser's pieces. */
function byRules(input: string, mode: Mode): string {
  const u = new URL(input);
  let out = `${u.protocol}//${u.host}${pathByRules(u.pathname, mode)}`;
  if (input.includes('?') && (!input.includes('#') || input.indexOf('?') < input.indexOf('#')))
    out += `?${queryByRules(u.search.slice(1), mode)}`;
  if (input.includes('#')) out += `#${fragmentByRules(u.hash.slice(1), mode)}`;
  return out;
}

// --- generated URLs: parts changed by transformation operators -------------------------------------------------

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
/** Route words and values a path carries, each then changed by the operators below. */
const baseSegment = pick([
  'users',
  'Customers',
  'reset-password',
  'token',
  'me',
  'settings',
  'alice',
  'hKqPzTrWmXvB',
  'orders',
  'v2',
  'oauth2',
  'getUserProfile',
  'deadbeefca12',
  'abcdefab-abcd-abcd-abcd-abcdefabcdef',
  '4711',
  'jane-0001',
  'jane.doe@example.com',
  'cus_NffrFeUfNV2Hib',
  'Jane%20Doe',
  'Z%C3%BCrich',
  'report.pdf',
  ':id',
  'x',
]);
const operator = fc.oneof(
  pick(['upper', 'lower', 'digit', 'twoDigits', 'digitFirst', 'at', 'ext', 'encodeFirst', 'dashToDot', 'none']),
  fc.tuple(pick(['pad']), fc.constantFrom(11, 12, 15, 16, 35, 36, 99, 100, 101)),
);
function transform(s: string, op: string | [string, number]): string {
  if (Array.isArray(op)) return s.length >= op[1] ? s.slice(0, op[1]) : s + 'a'.repeat(op[1] - s.length);
  switch (op) {
    case 'upper':
      return s.toUpperCase();
    case 'lower':
      return s.toLowerCase();
    case 'digit':
      return `${s}7`;
    case 'twoDigits':
      return `${s}-42`;
    case 'digitFirst':
      return `9${s}`;
    case 'at':
      return `@${s}`;
    case 'ext':
      return `${s}.json`;
    case 'encodeFirst':
      return `%${s.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}${s.slice(1)}`;
    case 'dashToDot':
      return s.replace(/-/g, '.');
    default:
      return s;
  }
}
const changed = (base: fc.Arbitrary<string>) =>
  fc.tuple(base, fc.array(operator, { maxLength: 3 })).map(([s, ops]) => ops.reduce(transform, s));

const paramName = changed(
  pick(['page', 'Page', 'pa_ge', 'lang', 'q', 'token', 'accessToken', 'user[email]', 'sig', 'jane-0001', 'a', 'id']),
).filter((n) => !/[&=#?%]/.test(n) || /^%[0-9A-F]{2}/.test(n));
const paramValue = fc.string({ unit: pick([...'aZ9@:/?=;.,~', '%2F', '%40']), maxLength: 8 });
const param = fc.oneof(
  fc.tuple(paramName, paramValue).map(([n, v]) => `${n}=${v}`),
  paramName,
  fc.constant(''),
);
const query = fc.array(param, { minLength: 1, maxLength: 4 }).map((ps) => ps.join('&'));
const segment = fc.oneof(
  { weight: 4, arbitrary: changed(baseSegment) },
  fc
    .tuple(changed(baseSegment), fc.array(param, { minLength: 1, maxLength: 2 }))
    .map(([s, ps]) => [s, ...ps.map((p) => p.replace(/[&/?]/g, ''))].join(';')),
  fc.constant(''),
);
const path = fc.array(segment, { maxLength: 10 }).map((ss) => ss.map((s) => `/${s}`).join(''));
const fragment = fc.oneof(
  changed(baseSegment),
  query,
  fc.tuple(path, query).map(([p, q]) => `${p}?${q}`),
  path,
);
const host = fc.oneof(
  fc
    .array(pick(['api', 'shop', 'example', 'test', 'a-1', 'xn--bcher-kva']), { minLength: 1, maxLength: 3 })
    .map((ls) => `${ls.join('.')}.example`),
  pick(['[2001:db8::1]', '[::1]', '[fe80::1]', 'localhost']),
);
const url = fc
  .record({
    scheme: pick(['https', 'http', 'wss', 'ftp']),
    userinfo: fc.option(fc.tuple(pick(['jane', 'u.1', 'app']), fc.option(pick(['s3cret', 'p!$', 'a(b)*+,']))), {
      nil: undefined,
    }),
    host,
    port: fc.option(pick([':8080', ':1', ':65535', ':5432']), { nil: '' }),
    path,
    query: fc.option(query, { nil: undefined }),
    fragment: fc.option(fragment, { nil: undefined }),
  })
  .map((p) => {
    const userinfo = p.userinfo === undefined ? '' : `${p.userinfo[0]}${p.userinfo[1] ? `:${p.userinfo[1]}` : ''}@`;
    const pathText = p.path === '' ? '/' : p.path;
    return `${p.scheme}://${userinfo}${p.host}${p.port}${pathText}${p.query === undefined ? '' : `?${p.query}`}${
      p.fragment === undefined ? '' : `#${p.fragment}`
    }`;
  })
  // WHATWG removes `.`/`..` segments and percent-encodes some characters: keep only inputs it keeps as written
  .filter((input) => new URL(input).href === input);

const modes: Record<string, Mode & { sanitize: (v: string) => string }> = {
  defaults: { allowlist: true, keep: [], maxSegments: 8, sanitize: createUrlSanitizer() },
  keep: {
    allowlist: true,
    keep: ['page', 'lang'],
    maxSegments: 3,
    sanitize: createUrlSanitizer({ keepParams: ['page', 'lang'], maxSegments: 3 }),
  },
  denylist: {
    allowlist: false,
    keep: [],
    maxSegments: 1,
    sanitize: createUrlSanitizer({ paramsMode: 'denylist', maxSegments: 1 }),
  },
};

describe('URL sanitizer against the documented rules on WHATWG-parsed URLs', () => {
  it.each(Object.keys(modes))('full URLs, %s', (name) => {
    const mode = modes[name]!;
    fc.assert(
      fc.property(url, (input) => {
        expect(mode.sanitize(input), input).toBe(byRules(input, mode));
      }),
      { numRuns: 1500, seed: 13 },
    );
  });

  it.each(Object.keys(modes))('the same URLs as path + query (http.target) and scheme-relative, %s', (name) => {
    const mode = modes[name]!;
    fc.assert(
      fc.property(url, (input) => {
        const u = new URL(input);
        const origin = `${u.protocol}//${u.host}`;
        const expected = byRules(input, mode).slice(origin.length);
        const target = input.slice(input.indexOf('/', input.indexOf('//') + 2));
        if (target.startsWith('//')) return; // a scheme-relative URL, not a path
        expect(mode.sanitize(target), target).toBe(expected);
        expect(mode.sanitize(`//${u.host}${target}`)).toBe(`//${u.host}${expected}`);
      }),
      { numRuns: 800, seed: 13 },
    );
  });

  it('the oracle agrees with the exported segment rule (it is no copy of the code: a check of the oracle)', () => {
    fc.assert(
      fc.property(changed(baseSegment), (s) => {
        expect(idByRules(s), s).toBe(isIdSegment(s));
      }),
      { numRuns: 2000, seed: 13 },
    );
  });
});

describe('UUIDs, table: every ASCII character at every position of a digit-free UUID', () => {
  // Without digits (or with one) only the UUID rule reads these as identifiers: a one-case UUID of letters has no
  // digit run, no long hex (`-` breaks it) and no mixed case.
  const templates = ['abcdefab-abcd-abcd-abcd-abcdefabcdef', 'ABCDEFAB-ABCD-ABCD-ABCD-ABCDEFABCDEF'];
  it.each(templates)('%s', (template) => {
    const sanitize = createUrlSanitizer();
    for (let at = 0; at < 36; at++)
      for (let c = 0; c < 128; c++) {
        const ch = String.fromCharCode(c);
        if ('/?#;%='.includes(ch)) continue; // structure, not segment characters (`=` makes it parameters)
        const seg = template.slice(0, at) + ch + template.slice(at + 1);
        expect(sanitize(`/a/${seg}/b`), JSON.stringify(seg)).toBe(`/a/${idByRules(seg) ? '{id}' : seg}/b`);
      }
  });
});
