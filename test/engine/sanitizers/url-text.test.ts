import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUrlSanitizer } from '../../../engine/sanitizers/url-sanitizer';
import { sanitizeUrlsInText, templatePeoplePathsInText } from '../../../engine/sanitizers/url-text';

const url = createUrlSanitizer();

describe('sanitizeUrlsInText', () => {
  it.each([
    ['/users/2', '/users/{id}'],
    ['GET /users/4711 failed', 'GET /users/{id} failed'],
    ['see https://x.example/a?id=7.', 'see https://x.example/a?id=REDACTED.'],
    ['("/users/42")', '("/users/{id}")'],
    ['redirect to [/orders/98765]', 'redirect to [/orders/{id}]'],
    ['lookup ?email=jane@example.com now', 'lookup ?email=REDACTED now'],
    ['two\t/a/1\n/b/2', 'two\t/a/{id}\n/b/{id}'],
    ['and/or', 'and/or'],
    ['x = 1', 'x = 1'],
    ['no urls here', 'no urls here'],
    ['', ''],
    ['/', '/'],
    ['.../', '.../'],
  ])('%j', (input, expected) => {
    expect(sanitizeUrlsInText(input, url)).toBe(expected);
  });

  it('returns text without "/" or "=" as the same string without calling the sanitizer', () => {
    let calls = 0;
    const text = 'user 4711 logged in';
    expect(sanitizeUrlsInText(text, (v) => (calls++, v))).toBe(text);
    expect(calls).toBe(0);
  });

  // Any text around a URL-like word: ids and query values planted in it never survive, the text
  // around it (no "/", "?" or "=") is kept as it is.
  it('removes planted ids and query values wherever the URL sits in prose', () => {
    const prose = fc.stringMatching(/^[A-Za-z ,.!]{0,20}$/);
    const id = fc.integer({ min: 100, max: 99_999_999 }).map(String);
    const value = fc.stringMatching(/^[A-Za-z0-9]{4,12}$/);
    const wrap = fc.constantFrom(['', ''], ['(', ')'], ['"', '"'], ['', '.'], ['[', '],'], ["'", "'!"]);
    fc.assert(
      fc.property(prose, prose, id, value, wrap, (before, after, i, v, [open, close]) => {
        const text = `${before} ${open}https://api.example/users/${i}/orders?q=${v}${close} ${after}`;
        const out = sanitizeUrlsInText(text, url);
        expect(out).toBe(`${before} ${open}https://api.example/users/{id}/orders?q=REDACTED${close} ${after}`);
      }),
    );
  });

  // the names of `sanitizers.url.sensitiveParams` (passed by the policy) as well as the built-in ones
  it('keeps the value of a key sensitiveName names redacted whole, in every writing of the pair', () => {
    const named = (name: string) => name === 'ref';
    expect(sanitizeUrlsInText('ref=/a/b ok=/a/b ref="/a/b" {"ref":"/a/b"} password=/a/b', url, named)).toBe(
      'ref=REDACTED ok=/a/b ref="REDACTED" {"ref":"REDACTED"} password=/a/b',
    );
    expect(sanitizeUrlsInText('ref=/a/b password=/a/b password="/a/b"', url)).toBe(
      'ref=/a/b password=REDACTED password="REDACTED"',
    );
  });
});

describe('templatePeoplePathsInText', () => {
  it.each([
    ['NotFound /users/janedoe', 'NotFound /users/{id}'],
    ['GET /staff/janedoe 404', 'GET /staff/{id} 404'],
    ['{"path":"/authors/jane-doe/posts"}', '{"path":"/authors/{id}/posts"}'],
    ['redirect=/in/janedoe', 'redirect=/in/{id}'],
    ['no route (/mailbox/janedoe/inbox).', 'no route (/mailbox/{id}/inbox).'],
    ['at https://social.example/followers/janedoe', 'at https://social.example/followers/{id}'],
    ['GET /users/by-name/janedoe', 'GET /users/by-name/{id}'],
    ['GET /users/name/janedoe', 'GET /users/name/{id}'],
    ['GET /users/username/janedoe', 'GET /users/username/{id}'],
    ['GET /users/byEmail/jane.doe', 'GET /users/byEmail/{id}'],
    // only the people rule: other segments stay (the ID rules are the URL sanitizer's, for URL fields)
    ['GET /orders/4711', 'GET /orders/4711'],
    // no path: prose, a fraction, a date, a relative file
    ['staff/students', 'staff/students'],
    ['and/or', 'and/or'],
    ['12/05/2026', '12/05/2026'],
    ['see docs/detectors.md', 'see docs/detectors.md'],
    // route words after people words
    ['GET /staff/me/settings', 'GET /staff/me/settings'],
    ['GET /users/name/verify', 'GET /users/name/verify'],
    ['GET /teams/{teamId}', 'GET /teams/{teamId}'],
    ['', ''],
  ])('%s → %s', (input, expected) => {
    expect(templatePeoplePathsInText(input)).toBe(expected);
  });
});
