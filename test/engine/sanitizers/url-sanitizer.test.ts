import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SENSITIVE_PARAMS,
  createUrlSanitizer,
  isIdSegment,
  sanitizeUrlPath,
} from '../../../engine/sanitizers/url-sanitizer';

const defaults = createUrlSanitizer();
// denylist mode: only sensitive names are redacted (the sensitive-name cases are observable there)
const denylist = createUrlSanitizer({ paramsMode: 'denylist' });
const withToken = createUrlSanitizer({ paramsMode: 'denylist', sensitiveParams: ['token', 'api_key'] });
const keepPage = createUrlSanitizer({ keepParams: ['page', 'sort'] });
const withToken2 = createUrlSanitizer({ paramsMode: 'denylist', sensitiveParams: ['api_key'] });

describe('createUrlSanitizer', () => {
  it.each<[string, (v: string) => string, string, string]>([
    // userinfo
    ['userinfo', defaults, 'https://user:pass@example.com/a', 'https://example.com/a'],
    ['user only', defaults, 'https://user@example.com/', 'https://example.com/'],
    ['@ in password', defaults, 'https://u:p@ss@example.com/x', 'https://example.com/x'],
    [
      'userinfo and port',
      defaults,
      'postgres://app:hunter2@db.example.com:5432/app',
      'postgres://db.example.com:5432/app',
    ],
    ['scheme-relative', defaults, '//u:p@cdn.example.com/lib.js', '//cdn.example.com/lib.js'],
    ['@ after path is not userinfo', defaults, 'https://example.com/users/@jane', 'https://example.com/users/{id}'],
    ['ipv6 host', defaults, 'http://admin:pw@[2001:db8::1]:8080/status', 'http://[2001:db8::1]:8080/status'],
    // sensitive params (semconv list, case-sensitive)
    [
      'X-Amz-Signature',
      denylist,
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F20240101&X-Amz-Signature=abc123',
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=REDACTED&X-Amz-Signature=REDACTED',
    ],
    ['X-Amz-Security-Token', denylist, '/k?X-Amz-Security-Token=FQoG&x=1', '/k?X-Amz-Security-Token=REDACTED&x=1'],
    [
      'AWSAccessKeyId and Signature',
      denylist,
      '/o?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1&Signature=vjbyPxy',
      '/o?AWSAccessKeyId=REDACTED&Expires=1&Signature=REDACTED',
    ],
    [
      'sig (Azure SAS)',
      denylist,
      'https://a.blob.core.windows.net/c/b?sv=2022&sig=abc%3D',
      'https://a.blob.core.windows.net/c/b?sv=2022&sig=REDACTED',
    ],
    [
      'X-Goog-Signature',
      denylist,
      'https://storage.googleapis.com/b/o?X-Goog-Signature=ff00',
      'https://storage.googleapis.com/b/o?X-Goog-Signature=REDACTED',
    ],
    // names by meaning: any case and naming style
    [
      'any case',
      denylist,
      '/a?SIG=1&signature=2&Sig=3&page=4',
      '/a?SIG=REDACTED&signature=REDACTED&Sig=REDACTED&page=4',
    ],
    [
      'naming styles',
      denylist,
      '/cb?accessToken=a&ACCESS-TOKEN=b&access_token=c&PASSWORD=d&x_refresh_token_v2=e&userPassword=f&state=g',
      '/cb?accessToken=REDACTED&ACCESS-TOKEN=REDACTED&access_token=REDACTED&PASSWORD=REDACTED&x_refresh_token_v2=REDACTED&userPassword=REDACTED&state=g',
    ],
    [
      'personal fields by default',
      denylist,
      '/signup?firstName=Jane&last_name=Doe&dob=1990-01-02&birthDate=1990-01-02&phone=5550143&Street=Main&zip=12345&e-mail=j&billingAddress=x&user[email]=y&lang=en',
      '/signup?firstName=REDACTED&last_name=REDACTED&dob=REDACTED&birthDate=REDACTED&phone=REDACTED&Street=REDACTED&zip=REDACTED&e-mail=REDACTED&billingAddress=REDACTED&user[email]=REDACTED&lang=en',
    ],
    ['user list by meaning', withToken2, '/a?API-KEY=1&apiKey=2', '/a?API-KEY=REDACTED&apiKey=REDACTED'],
    // fragments with their own route and query (hash routing)
    [
      'hash route query',
      denylist,
      'https://app.example.com/#/cb?access_token=abc&state=x',
      'https://app.example.com/#/cb?access_token=REDACTED&state=x',
    ],
    ['hash route ids', defaults, '/app#/users/4711/orders', '/app#/users/{id}/orders'],
    ['hash route ids and query', denylist, '/#!/users/4711?email=a', '/#!/users/{id}?email=REDACTED'],
    [
      'hash parameters with a route in a value',
      denylist,
      'https://app.example/#access_token=abc&redirect=/a?b=1',
      'https://app.example/#access_token=REDACTED&redirect=/a?b=1',
    ],
    ['hash route segment of parameters', denylist, '/#/cb/token=abc?x=1', '/#/cb/token=REDACTED?x=1'],
    // matrix parameters
    [
      'matrix session id',
      denylist,
      'https://shop.example/cart;jsessionid=A1B2C3D4E5?x=1',
      'https://shop.example/cart;jsessionid=REDACTED?x=1',
    ],
    ['matrix on an id segment', denylist, '/users/4711;token=abc;v=2/x', '/users/{id};token=REDACTED;v=2/x'],
    ['matrix keep mode', keepPage, '/a;page=1;q=jane', '/a;page=1;q=REDACTED'],
    // userinfo with reserved characters
    ['slash in password', defaults, 'https://user:pa/ss@example.com/x', 'https://example.com/x'],
    [
      'password of digits then letters, with a slash',
      defaults,
      'https://u:12ab/c@example.com/x',
      'https://example.com/x',
    ],
    ['password ending in a slash', defaults, 'https://u:pa/@example.com/x', 'https://example.com/x'],
    [
      'IPv6 host, an address in the fragment',
      denylist,
      'https://[2001:db8::1]/#jane.doe@example.com',
      'https://[2001:db8::1]/#{id}',
    ],
    ['one-letter user', defaults, 'https://j@example.com/x', 'https://example.com/x'],
    ['bare query whose value ends in a slash', defaults, 'q=jane/', 'q=REDACTED'],
    ['bare query with a slash in a value', defaults, 'q=jane/doe', 'q=REDACTED'],
    ['bare query with a ? in a value (url.query)', defaults, 'token=abc&next=/a?b=1', 'token=REDACTED&next=REDACTED'],
    ['bare query with a ? in a value, denylist', denylist, 'token=abc&next=/a?b=1', 'token=REDACTED&next=/a?b=1'],
    [
      'schemeless path with a name=value segment',
      defaults,
      'cdn.example/img/fit=cover/cat.png',
      'cdn.example/img/fit=REDACTED/cat.png',
    ],
    [
      'a token as a name=value path segment',
      defaults,
      'https://app.example.com/cb/access_token=fakeTok3nValue/next',
      'https://app.example.com/cb/access_token=REDACTED/next',
    ],
    ['a secret path segment, denylist', denylist, '/cb/api_key=ZZZZ/x', '/cb/api_key=REDACTED/x'],
    [
      'an ordinary path segment of parameters, denylist',
      denylist,
      '/img/fit=cover&w=wide/x',
      '/img/fit=cover&w=wide/x',
    ],
    ['a kept segment still read by the ID rules, denylist', denylist, '/u/ref=4711/x', '/u/{id}/x'],
    ['what is kept of a segment read by the ID rules, denylist', denylist, '/u/ref=4711&token=x/y', '/u/{id}/y'],
    ['an email as a path segment value', defaults, '/u/email=jane.doe@example.com', '/u/email=REDACTED'],
    [
      'a path segment with = percent-encoded',
      defaults,
      '/cb/access_token%3DfakeToken/x',
      '/cb/access_token=REDACTED/x',
    ],
    ['… in denylist mode', denylist, '/cb/access_token%3dfakeToken', '/cb/access_token=REDACTED'],
    ['an encoded = in a segment that does not decode', defaults, '/cb/a%3Db%zz', '/cb/a%3Db%zz'],
    ['digits after the colon read as a port', defaults, 'https://u:12345/c@example.com/x', 'https://u:12345/{id}/x'],
    ['hash and question mark in password', denylist, 'https://u:p#a?s@example.com/x?y=1', 'https://example.com/x?y=1'],
    ['port is not a password', defaults, 'https://example.com:8443/users/@jane', 'https://example.com:8443/users/{id}'],
    ['@ in a query is not userinfo', denylist, 'https://example.com/p?q=a:b@c.d', 'https://example.com/p?q=a:b@c.d'],
    [
      'extra sensitive params',
      withToken,
      '/cb?token=abc&state=x&api_key=k',
      '/cb?token=REDACTED&state=x&api_key=REDACTED',
    ],
    ['percent-encoded name', withToken, '/cb?%74oken=abc', '/cb?%74oken=REDACTED'],
    ['repeated param', withToken, '/cb?token=a&token=b', '/cb?token=REDACTED&token=REDACTED'],
    ['empty value', withToken, '/cb?token=&x=1', '/cb?token=REDACTED&x=1'],
    ['param without value', withToken, '/cb?token&x=1', '/cb?token&x=1'],
    // keepParams
    [
      'keepParams redacts the rest',
      keepPage,
      '/search?q=jane&page=2&sort=asc&email=j@example.com',
      '/search?q=REDACTED&page=2&sort=asc&email=REDACTED',
    ],
    ['keepParams still redacts sensitive', createUrlSanitizer({ keepParams: ['sig'] }), '/a?sig=1', '/a?sig=REDACTED'],
    [
      'empty keep list: every value redacted',
      createUrlSanitizer({ keepParams: [], sensitiveParams: [] }),
      '/a?x=1&sig=2',
      '/a?x=REDACTED&sig=REDACTED',
    ],
    ['fragment params', keepPage, '/cb#access_token=abc&page=1', '/cb#access_token=REDACTED&page=1'],
    [
      'fragment params, sensitive',
      withToken,
      'https://app.example.com/#token=abc',
      'https://app.example.com/#token=REDACTED',
    ],
    ['plain fragment kept (denylist)', denylist, '/docs#section-2', '/docs#section-2'],
    // path ids
    ['integer id', defaults, '/users/4711/orders', '/users/{id}/orders'],
    ['uuid', defaults, '/carts/123e4567-e89b-12d3-a456-426614174000/items', '/carts/{id}/items'],
    ['long hex', defaults, '/traces/4bf92f3577b34da6a3ce929d0e0e4736', '/traces/{id}'],
    ['object id', defaults, '/docs/507f1f77bcf86cd799439011', '/docs/{id}'],
    ['email segment', defaults, '/users/jane.doe@example.com/profile', '/users/{id}/profile'],
    ['encoded email segment', defaults, '/users/jane.doe%40example.com', '/users/{id}'],
    ['id with extension', defaults, '/invoices/4711.pdf', '/invoices/{id}.pdf'],
    ['matrix params', denylist, '/users/42;v=2', '/users/{id};v=2'],
    ['route words kept', defaults, '/api/v1/users/me', '/api/v1/users/me'],
    ['short hex word kept', defaults, '/assets/cafe/deadbeef', '/assets/cafe/deadbeef'],
    ['trailing slash', defaults, '/users/42/', '/users/{id}/'],
    [
      'full url path',
      denylist,
      'https://api.example.com/v2/orders/98765?page=2',
      'https://api.example.com/v2/orders/{id}?page=2',
    ],
    ['dates in path', defaults, '/archive/2024/01/15', '/archive/{id}/{id}/{id}'],
    // forms
    ['bare query', denylist, 'a=1&Signature=x', 'a=1&Signature=REDACTED'],
    ['bare query with ?', withToken, '?token=a&b=2', '?token=REDACTED&b=2'],
    ['bare query keepParams', keepPage, 'page=2&q=secret', 'page=2&q=REDACTED'],
    ['host:port path', defaults, 'localhost:8080/users/7', 'localhost:8080/users/{id}'],
    ['schemeless host', denylist, 'www.example.com/users/7?sig=1', 'www.example.com/users/{id}?sig=REDACTED'],
    ['mailto', defaults, 'mailto:jane@example.com', 'mailto:{id}'],
    ['empty', defaults, '', ''],
    // default: allowlist mode with an empty keep list (every parameter value redacted)
    [
      'every query value',
      defaults,
      '/api/users?id=123&name=john&lang=en',
      '/api/users?id=REDACTED&name=REDACTED&lang=REDACTED',
    ],
    ['bare query part', defaults, '/a?4711&jane@example.com', '/a?REDACTED&REDACTED'],
    ['bare kept name', keepPage, '/a?page&x', '/a?page&REDACTED'],
    ['plain anchor', defaults, '/docs#section-2', '/docs#REDACTED'],
    ['plain anchor, kept name', keepPage, '/docs#page', '/docs#page'],
    ['hash route path kept, query redacted', defaults, '/app#/cb/4711?state=x', '/app#/cb/{id}?state=REDACTED'],
    ['matrix values', defaults, '/cart;jsessionid=A1;v=2;flag', '/cart;jsessionid=REDACTED;v=REDACTED;REDACTED'],
    [
      'signed url',
      defaults,
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Expires=60',
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=REDACTED&X-Amz-Expires=REDACTED',
    ],
    // path segments that read as values
    ['non-ASCII segment', defaults, '/users/测试/profile', '/users/{id}/profile'],
    ['encoded non-ASCII segment', defaults, '/wiki/Z%C3%BCrich', '/wiki/{id}'],
    ['@ segment', defaults, '/api/v1/items/@special/data', '/api/v1/items/{id}/data'],
    ['encoded @ segment', defaults, '/u/%40jane', '/u/{id}'],
    ['backslash segment', defaults, '/v1/api\\path/123', '/v1/{id}/{id}'],
    ['digits after a word', defaults, '/api/secret-123/process', '/api/{id}/process'],
    ['two digits after a separator', defaults, '/orders/INV-42', '/orders/{id}'],
    ['versions and protocol words kept', defaults, '/api/v10/oauth2/http2/s3', '/api/v10/oauth2/http2/s3'],
    ['mixed-case token', defaults, '/c/cus_NffrFeUfNV2Hib', '/c/{id}'],
    ['camelCase route word kept', defaults, '/api/getUserProfileSettings', '/api/getUserProfileSettings'],
    ['very long segment', defaults, `/a/${'x'.repeat(101)}`, '/a/{id}'],
    ['route templates kept', defaults, '/users/{userId}/orders/:id', '/users/{userId}/orders/:id'],
    ['email with extension-like domain', defaults, '/u/jane.doe@example.com', '/u/{id}'],
    // segment cap
    ['segment cap', defaults, '/1a/b/c/d/e/f/g/h/i/j?x=1', '/1a/b/c/d/e/f/g/h/{rest}?x=REDACTED'],
    ['segment cap, trailing slash', defaults, '/a/b/c/d/e/f/g/h/', '/a/b/c/d/e/f/g/h/'],
    [
      'segment cap option',
      createUrlSanitizer({ maxSegments: 2 }),
      'https://h.example/a/b/c',
      'https://h.example/a/b/{rest}',
    ],
    ['relative path cap', createUrlSanitizer({ maxSegments: 1 }), 'a/b', 'a/{rest}'],
    // malformed input never throws
    ['bad percent-encoding', withToken, '/a/%E0%A4%A?token=%%%', '/a/%E0%A4%A?token=REDACTED'],
    // A malformed host is no host a client can reach: written {id} (it can carry a value glued to the host).
    ['unclosed ipv6', defaults, 'http://[::1', 'http://{id}'],
    ['only scheme', defaults, 'https://', 'https://'],
    // Text with spaces is no route (a name, a search, a title: `/u/Jane%20Doe`): one {id}.
    ['spaces', defaults, 'not a url at all', '{id}'],
    ['lone separators', defaults, '?&=#', '?&=REDACTED#'],
    ['lone separators (denylist)', denylist, '?&=#', '?&=#'],
    ['unpaired surrogate', defaults, '/x/\ud800/42', '/x/{id}/{id}'],
    ['control characters', defaults, 'https://u:p@exa\u0000mple.com/\n/1', 'https://{id}/{id}/{id}'],
  ])('%s', (_name, sanitize, input, expected) => {
    expect(sanitize(input)).toBe(expected);
  });

  it('uses the semconv list', () => {
    expect(DEFAULT_SENSITIVE_PARAMS).toEqual([
      'X-Amz-Signature',
      'X-Amz-Credential',
      'X-Amz-Security-Token',
      'AWSAccessKeyId',
      'Signature',
      'sig',
      'X-Goog-Signature',
    ]);
  });

  it('rejects options that contradict each other or are out of range', () => {
    expect(() => createUrlSanitizer({ paramsMode: 'denylist', keepParams: ['page'] })).toThrow(/keepParams needs/);
    expect(() => createUrlSanitizer({ maxSegments: 0 })).toThrow(/maxSegments must be an integer of at least 1, got 0/);
  });

  it('never throws on non-string input', () => {
    expect(defaults(undefined as unknown as string)).toBeUndefined();
  });
});

describe('path helpers', () => {
  it('isIdSegment', () => {
    expect(isIdSegment('4711')).toBe(true);
    expect(isIdSegment('v1')).toBe(false);
    expect(isIdSegment('')).toBe(false);
    expect(isIdSegment('abcdefabcdef')).toBe(false); // no digit: likely a word
    expect(isIdSegment('abcdef012345')).toBe(true);
  });

  it('sanitizeUrlPath', () => {
    expect(sanitizeUrlPath('/a/1/b/2')).toBe('/a/{id}/b/{id}');
    expect(sanitizeUrlPath('')).toBe('');
  });

  it('sanitizeUrlPath keeps matrix parameters as they are and reads the stem before the first ;', () => {
    expect(sanitizeUrlPath('/a;v=123/4711;v=2;w')).toBe('/a;v=123/{id};v=2;w');
    expect(sanitizeUrlPath('/a/b/c', 2)).toBe('/a/b/{rest}');
    expect(sanitizeUrlPath('a/b/c', 2)).toBe('a/b/{rest}');
    expect(sanitizeUrlPath('/a/b/', 2)).toBe('/a/b/');
  });

  it.each([
    ['/staff/janedoe', '/staff/{id}'],
    ['/students/janedoe', '/students/{id}'],
    ['/contacts/janedoe', '/contacts/{id}'],
    ['/friends/janedoe', '/friends/{id}'],
    ['/followers/janedoe', '/followers/{id}'],
    ['/team/janedoe', '/team/{id}'],
    ['/authors/jane-doe', '/authors/{id}'],
    ['/in/janedoe', '/in/{id}'],
    ['/user-profile/janedoe', '/user-profile/{id}'],
    ['/mailbox/janedoe/inbox', '/mailbox/{id}/inbox'],
    ['/dm/janedoe', '/dm/{id}'],
    ['/channel/janedoe', '/channel/{id}'],
    ['/users/name/janedoe', '/users/name/{id}'],
    ['/users/by-name/janedoe', '/users/by-name/{id}'],
    ['/users/by-email/jane.doe', '/users/by-email/{id}'],
    ['/users/username/janedoe', '/users/username/{id}'],
    ['/users/by_handle/janedoe/posts', '/users/by_handle/{id}/posts'],
    // route words stay; a lookup key only after a people segment
    ['/users/name/verify', '/users/name/verify'],
    ['/staff/me/settings', '/staff/me/settings'],
    ['/teams/{teamId}/members', '/teams/{teamId}/members'],
    ['/products/name/widget', '/products/name/widget'],
    ['/users/janedoe/name/x', '/users/{id}/name/x'],
  ])('people paths: %s → %s', (path, expected) => {
    expect(sanitizeUrlPath(path)).toBe(expected);
  });
});

describe('adversarial URLs (generated)', () => {
  // Values planted in a URL through transformation operators; none may survive the defaults.
  const id = fc.oneof(
    fc.integer({ min: 100, max: 2 ** 40 }).map(String),
    fc.uuid(),
    fc.stringMatching(/^[a-z]{2,8}[._-][a-z]{2,8}$/).map((l) => `${l}@example.com`),
    fc.stringMatching(/^[a-z]{3,8}$/).map((w) => `${w}-${(Math.abs(w.length * 7919) % 900) + 100}`),
    fc.constantFrom('测试', 'Zürich', 'José', '@handle', 'api\\path', 'cus_NffrFeUfNV2Hib'),
  );
  const encode = fc.constantFrom<(s: string) => string>(
    (s) => s,
    (s) => encodeURIComponent(s),
    (s) => s.replace(/@/g, '%40'),
  );
  const word = fc.constantFrom('api', 'v1', 'users', 'orders', 'items', 'oauth2', 'profile');
  const paramValue = fc.stringMatching(/^[A-Za-z0-9._~-]{1,16}$/);
  const paramName = fc.constantFrom('id', 'q', 'page', 'state', 'name', 'x', 'sort');
  const prefix = fc.constantFrom(
    '',
    'https://api.example',
    'https://u:p@api.example:8443',
    '//cdn.example',
    'localhost:8080',
  );

  it('no planted path value, parameter value or anchor survives; output is stable under a second pass', () => {
    fc.assert(
      fc.property(
        prefix,
        fc.array(word, { minLength: 1, maxLength: 3 }),
        id,
        encode,
        paramName,
        paramValue,
        paramValue,
        (pre, words, planted, enc, name, value, anchor) => {
          const input = `${pre}/${words.join('/')}/${enc(planted)}?${name}=${enc(value)}#${anchor}`;
          const out = defaults(input);
          expect(out).not.toContain(planted);
          expect(out).not.toContain(enc(planted));
          expect(out).toContain(`?${name}=REDACTED#REDACTED`);
          expect(out).not.toContain('u:p@');
          expect(defaults(out)).toBe(out);
        },
      ),
    );
  });

  it('never throws and never grows a path beyond maxSegments (+ {rest})', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 12 }), (s, max) => {
        const out = createUrlSanitizer({ maxSegments: max })(`/${s}`);
        expect(typeof out).toBe('string');
        const path = out.split(/[?#]/)[0];
        expect(path.split('/').length - 1).toBeLessThanOrEqual(max + 1);
      }),
    );
  });
});
