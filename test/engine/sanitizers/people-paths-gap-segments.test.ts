import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PEOPLE_AND_CREDENTIAL_WORDS, blankAfterPeople } from '../../../engine/sanitizers/people-routes';
import { createUrlSanitizer } from '../../../engine/sanitizers/url-sanitizer';
import { sanitizeSpanName } from '../../../engine/sanitizers/span-name';
import { sanitizeUrlsInText, templatePeoplePathsInText } from '../../../engine/sanitizers/url-text';
import { personKey } from '../../assurance/helpers/outside-attack';

// A person's key after a people word when the segment between them holds no letter or digit once decoded: a dot
// encoded twice or more (`%252e`), IE's `%u002e`, fullwidth `．`, ideographic `。`, UTF-8 `%ef%bc%8e`, an encoded
// blank or tab, a placeholder (`-`, `_`, `@`, `~`, `*`, `:`), or dots glued to the people word (`/users./janedoe`).
// Found by the second outside attacker of round 18: the segment was masked and the name kept
// (`/users/%252e/janedoe` → `/users/{id}/janedoe`). Every value is made up.

const url = createUrlSanitizer();
const readers: Record<string, (text: string) => string> = {
  'URL sanitizer': url,
  'URL words in text (log body)': (t) => sanitizeUrlsInText(t, url),
  'paths in free text (error.type)': templatePeoplePathsInText,
  'span name': (t) => sanitizeSpanName(t, url),
};

const peopleWord = fc
  .tuple(fc.constantFrom(...PEOPLE_AND_CREDENTIAL_WORDS), fc.constantFrom('lower', 'upper', 'capital'))
  .map(([w, c]) => (c === 'lower' ? w : c === 'upper' ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1)));

/** Between the people word and the name: a segment with no letter or digit once decoded, or dots glued to the word. */
const gap = fc.constantFrom(
  '/%252e/',
  '/%252E%252E/',
  '/%25252e/',
  '/%u002e/',
  '/．/',
  '/。/',
  '/%ef%bc%8e/',
  '/%09/',
  '/%20/',
  '/-/',
  '/_/',
  '/@/',
  '/~/',
  '/*/',
  '/:/',
  '/-/_/',
  './',
  '../',
  '%20/',
);

/** Gaps with a raw blank or tab: one word of a URL attribute (free text splits there). */
const blankGap = fc.constantFrom('/\t/', '/ /', ' /', '\t/');

const wrapped = fc
  .tuple(
    peopleWord,
    gap,
    personKey,
    fc.constantFrom(
      (p: string) => p,
      (p: string) => `GET ${p} 404`,
      (p: string) => `NotFound ${p}`,
      (p: string) => `{"path":"${p}"}`,
      (p: string) => `path: ${p}`,
      (p: string) => `callback https://app.example.com${p} failed`,
    ),
  )
  .map(([w, g, v, wrap]) => ({ text: wrap(`/${w}${g}${v}`), v }));

describe('a name after a people word and a segment without a letter or digit', () => {
  it.each(Object.keys(readers))('is not kept by the %s', (name) => {
    const read = readers[name]!;
    fc.assert(
      fc.property(wrapped, ({ text, v }) => {
        expect(read(text), text).not.toContain(v);
      }),
      { numRuns: 300 },
    );
  });

  it('a raw blank or tab segment in a URL attribute', () => {
    fc.assert(
      fc.property(peopleWord, blankGap, personKey, (w, g, v) => {
        const text = `https://app.example.com/${w}${g}${v}`;
        expect(url(text), text).not.toContain(v);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['/users/%252e/janedoe', '/users/{id}/{id}'],
    ['/users/-/janedoe', '/users/-/{id}'],
    ['/users/*/janedoe', '/users/*/{id}'],
    ['/users./janedoe', '/users./{id}'],
    ['/users../janedoe', '/users../{id}'],
    ['/users/．/janedoe', '/users/{id}/{id}'],
  ])('URL sanitizer: %s → %s', (input, expected) => {
    expect(url(input)).toBe(expected);
  });

  it.each([
    ['.', true],
    ['%252e', true],
    ['%u002e', true],
    ['&#46;', true],
    ['-', true],
    ['。', true],
    ['%ef%bc%8e', true],
    ['me', false],
    ['%u0061', false],
    ['&#97;', false],
    ['x-', false],
    ['2', false],
  ])('blankAfterPeople(%s) = %s', (seg, expected) => {
    expect(blankAfterPeople(seg)).toBe(expected);
  });
});

describe('look-alikes stay as written', () => {
  it.each([
    '/users/-/settings',
    '/users/*/posts',
    '/users/_/me',
    '/users./me',
    '/users/-/_/search',
    '/docs/-/janedoe',
    '/files/./janedoe',
  ])('everywhere: %s', (t) => {
    for (const name of Object.keys(readers)) expect(readers[name]!(t), name).toBe(t);
  });

  it.each([
    'password is required',
    'token expired',
    'the password field',
    'bypass=cache',
    'users. next step',
    'read users. /ok',
    'GET /users/ /me 200',
    'see /users../me',
  ])('in text: %s', (t) => {
    for (const name of ['URL words in text (log body)', 'paths in free text (error.type)', 'span name'])
      expect(readers[name]!(t), name).toBe(t);
  });
});

describe('a dot segment percent-encoded between escaped slashes', () => {
  it.each([
    ['/users%2F%2E%2Fjanedoe', '/users%2F%2E%2F{id}'],
    ['/users%2F%2e%2e%2Fjanedoe', '/users%2F%2e%2e%2F{id}'],
    ['next=%2Fusers%252F%252E%252Fjanedoe', 'next=%2Fusers%252F%252E%252F{id}'],
  ])('%s → %s', (input, expected) => {
    expect(templatePeoplePathsInText(input)).toBe(expected);
  });

  it('users%2F%2E%2Fsettings stays', () => {
    expect(templatePeoplePathsInText('/users%2F%2E%2Fsettings')).toBe('/users%2F%2E%2Fsettings');
  });
});

describe('a name after a people word and a blank segment in free text (its words split at the blank)', () => {
  const text = ['URL words in text (log body)', 'paths in free text (error.type)', 'span name'];
  const blankWrapped = fc
    .tuple(
      peopleWord,
      fc.constantFrom('/ /', '/\t/', ' /', '\t/', '. /', '/  /'),
      personKey,
      fc.constantFrom(
        (p: string) => `GET ${p} 404`,
        (p: string) => `NotFound ${p}`,
        (p: string) => `path: ${p}`,
        (p: string) => `callback https://app.example.com${p} failed`,
      ),
    )
    .map(([w, g, v, wrap]) => ({ text: wrap(`/${w}${g}${v}`), v }));

  it.each(text)('is not kept by the %s', (name) => {
    const read = readers[name]!;
    fc.assert(
      fc.property(blankWrapped, ({ text: t, v }) => {
        expect(read(t), t).not.toContain(v);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['GET /users/ /janedoe 404', 'GET /users/ /{id} 404'],
    ['GET /users /janedoe 404', 'GET /users /{id} 404'],
  ])('%s → %s', (input, expected) => {
    expect(templatePeoplePathsInText(input)).toBe(expected);
  });

  it.each([
    'GET /users/ /me 200',
    'copied /users /settings',
    'a users /janedoe',
    'see /docs / janedoe',
    'users / admins',
  ])('stays: %s', (t) => {
    for (const name of text) expect(readers[name]!(t), name).toBe(t);
  });
});

describe('an HTML reference to a dot or blank as the segment (a URL reader takes its # for a fragment)', () => {
  it.each(Object.keys(readers))('is not kept by the %s', (name) => {
    fc.assert(
      fc.property(
        peopleWord,
        fc.constantFrom('&#46;', '&#x2e;', '&#X2E;', '&#32;', '&period;', '&nbsp;'),
        personKey,
        (w, e, v) => {
          const text = `https://app.example.com/${w}/${e}/${v}`;
          expect(readers[name]!(text), text).not.toContain(v);
        },
      ),
      { numRuns: 150 },
    );
  });

  // (the `&` before the reference was `{id}` already: a segment after a people word that is no route word)
  it.each([
    ['/users/&#46;/me', '/me'],
    ['/users/&#97;/settings', '/settings'],
  ])('the route word after it stays: %s', (t, tail) => {
    expect(templatePeoplePathsInText(t).endsWith(tail)).toBe(true);
  });
});

describe('a / written as a look-alike or another encoding between a people word and a name', () => {
  const text = ['URL words in text (log body)', 'paths in free text (error.type)', 'span name'];
  const form = fc.constantFrom(
    '\u2215',
    '\u2044',
    '%E2%88%95',
    '%e2%81%84',
    '%EF%BC%8F',
    '%C0%AF',
    '%u2215',
    '%u2044',
    '%uff0f',
    '&slash;',
  );
  it.each(text)('is not kept by the %s', (name) => {
    fc.assert(
      fc.property(peopleWord, form, personKey, fc.constantFrom('NotFound /', 'GET /', 'see '), (w, f, v, pre) => {
        const t = `${pre}${w}${f}${v}`;
        expect(readers[name]!(t), t).not.toContain(v);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    'users\u2215settings',
    '1\u20442 of users',
    'members%E2%88%95me',
    'a %C0%AF b',
    'price 5\u22152',
    '&slash; users',
  ])('stays: %s', (t) => {
    for (const name of text) expect(readers[name]!(t), name).toBe(t);
  });
});

describe("a single-page app's fragment path in free text", () => {
  it.each([
    ['NotFound #/users/janedoe', 'NotFound #/users/{id}'],
    ['NotFound /app#/users/janedoe', 'NotFound /app#/users/{id}'],
    ['NotFound /app#!/users/janedoe', 'NotFound /app#!/users/{id}'],
  ])('%s → %s', (input, expected) => {
    expect(templatePeoplePathsInText(input)).toBe(expected);
  });

  it.each(['issue #/users/me', 'NotFound /app#!/users/settings', 'wow!/users', 'see #42'])('stays: %s', (t) => {
    expect(templatePeoplePathsInText(t)).toBe(t);
  });
});
