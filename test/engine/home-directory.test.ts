import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskHomeDirectories, replaceHomeDirectories } from '../../engine/home-directory';

// `maskHomeDirectories` looks for the literals every home-directory match holds before it runs its regex; the
// property: on any value it returns what the regex alone returns (the check never skips a match).
const fragments = fc.constantFrom(
  ...'/\\:=,;([{\'"` \t\nCcuUhHe.-_'.split(''),
  '/home/',
  '/var/home/',
  '/export/home/',
  '/Users/',
  '/users/',
  '/c/Users/',
  'C:/Users/',
  'c:/users/',
  'C:\\Users\\',
  'C:\\\\Users\\\\',
  '\\home\\',
  '\\\\users\\\\',
  'home',
  'Users',
  'users',
  'sers',
  'file://',
  'unknown_service:',
  'jane',
  'j.doe',
  '{user}',
  '/app.js:1:2)',
  '%2F',
  '~',
  '/mnt/c/',
  '/mnt/c/users/',
);

describe('maskHomeDirectories: the literal check before the regex', () => {
  it('returns what the regex alone returns, on strings built from path fragments and on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: fragments, maxLength: 16 }), fc.string({ maxLength: 80 })), (value) => {
        expect(maskHomeDirectories(value)).toBe(replaceHomeDirectories(value));
      }),
      { numRuns: 20000 },
    );
  });

  it('rewrites each form of home directory (the property is not vacuous)', () => {
    for (const path of [
      '/home/jane/a',
      'C:\\Users\\jane\\a',
      'C:/users/jane/a',
      '/c/Users/jane/a',
      '\\\\Users\\\\jane\\\\a',
      '/mnt/c/Users/jane/a',
      '/mnt/c/users/jane/a',
      '~jane/a',
      '/~jane/a',
    ])
      expect(maskHomeDirectories('at ' + path)).toContain('{user}');
  });

  it('leaves approximations, own-home paths and web routes alone', () => {
    for (const value of ['about ~5/10 done', '~/shop/app.db', 'GET /users/4711/orders', 'cd /home/dashboard', 'a~b/c'])
      expect(maskHomeDirectories(value)).toBe(value);
  });
});
