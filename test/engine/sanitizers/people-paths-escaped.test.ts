import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PEOPLE_AND_CREDENTIAL_WORDS, templateEscapedPeoplePaths } from '../../../engine/sanitizers/people-routes';
import { createUrlSanitizer } from '../../../engine/sanitizers/url-sanitizer';
import { sanitizeSpanName } from '../../../engine/sanitizers/span-name';
import { sanitizeUrlsInText, templatePeoplePathsInText } from '../../../engine/sanitizers/url-text';
import { personKey } from '../../assurance/helpers/outside-attack';

// A person's key after a people word (`users`, `profiles`, `in`, … and the credential words: the library's own table)
// when the path between them holds an empty, `.` or `..` segment (`/users//janedoe`: a base URL ending in `/` joined
// with `/users/…`), the people segment carries matrix parameters (`/users;jsessionid=…/janedoe`), or the `/` is written
// escaped (`users%2Fjanedoe`, JSON's `\/users\/janedoe`, `&#x2F;`, `\u002f`, `=2F`, fullwidth `／`, …). Found by the
// eighteenth outside attack round: every field exported the name. Every value is made up.

const url = createUrlSanitizer();
const readers: Record<string, (text: string) => string> = {
  'URL sanitizer': url,
  'URL words in text (log body)': (t) => sanitizeUrlsInText(t, url),
  'paths in free text (error.type)': templatePeoplePathsInText,
  'span name': (t) => sanitizeSpanName(t, url),
};

/** A people word as the table has it, or in upper case or capitalized (the rule reads any case). */
const peopleWord = fc
  .tuple(fc.constantFrom(...PEOPLE_AND_CREDENTIAL_WORDS), fc.constantFrom('lower', 'upper', 'capital', 'fullwidth'))
  .map(([w, c]) =>
    c === 'lower'
      ? w
      : c === 'upper'
        ? w.toUpperCase()
        : c === 'capital'
          ? w[0]!.toUpperCase() + w.slice(1)
          : w.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x21 + 0xff01)),
  );

/** What stands between the people word and the name, with plain slashes: empty, `.` and `..` segments, matrix parameters. */
const plainGap = fc.constantFrom(
  '//',
  '///',
  '/./',
  '/.//',
  '/../',
  '/./../',
  '/x/../',
  '/x/y/../../',
  ';jsessionid=abc/',
  ';v=1//',
  '/;x/',
);

/** A `/` written escaped, every form the rule reads. */
const slashForm = fc.constantFrom(
  '%2F',
  '%2f',
  '%252F',
  '%25252F',
  '%5C',
  '%u002F',
  '&#x2F;',
  '&#X2f;',
  '&#47;',
  '&#047;',
  '&sol;',
  '\\x2f',
  '\\u002f',
  '\\u002F',
  '\\u{2f}',
  '\\057',
  '\\/',
  '\\\\/',
  '=2F',
  '／',
);

/** ASCII text (a fullwidth word percent-encoded as UTF-8, `%EF%BD%95…`, is not read: listed in docs/detectors.md). */
const ASCII = /^[\x20-\x7e]*$/;

/** The gaps of `plainGap` without matrix parameters (a `;` percent-encoded in a query value is not read). */
const plainGapInQuery = fc.constantFrom('//', '///', '/./', '/.//', '/../', '/./../');

/** A path `/<word><gap><name>` with plain slashes. */
const pathWith = (gaps: fc.Arbitrary<string>) =>
  fc.tuple(peopleWord, gaps, personKey).map(([w, gap, v]) => ({ path: `/${w}${gap}${v}`, v }));

/** A path `/<word><gap><name>` with plain slashes, or `<slash><word><slashes>[.<slash>]<name>` with one escaped form. */
const path = fc.oneof(
  pathWith(plainGap),
  fc
    .tuple(peopleWord, slashForm, fc.constantFrom('', '.', '..'), fc.boolean(), personKey)
    .map(([w, s, dot, twice, v]) => ({ path: `${s}${w}${s}${twice ? s : ''}${dot === '' ? '' : dot + s}${v}`, v })),
);

/** The text a path is sent in: alone, a log line, a JSON value, an XML attribute, a YAML line, a redirect parameter. */
const wrapped = fc
  .tuple(
    path,
    fc.constantFrom(
      (p: string) => p,
      (p: string) => `GET ${p} 404`,
      (p: string) => `NotFound ${p}`,
      (p: string) => `{"path":"${p}"}`,
      (p: string) => `<a href="${p}">profile</a>`,
      (p: string) => `path: ${p}`,
      (p: string) => `callback https://app.example.com${p} failed`,
    ),
  )
  .map(([{ path: p, v }, wrap]) => ({ text: wrap(p), v }));

describe('a name after a people word through dot segments, matrix parameters or an escaped /', () => {
  it.each(Object.keys(readers))('is not kept by the %s', (name) => {
    const read = readers[name]!;
    fc.assert(
      fc.property(wrapped, ({ text, v }) => {
        expect(read(text), text).not.toContain(v);
      }),
      { numRuns: 400 },
    );
  });

  it('a query or form value that encodes the path (redirect_uri=…, next=…) is read too', () => {
    fc.assert(
      fc.property(
        pathWith(plainGapInQuery).filter(({ path: p }) => ASCII.test(p)),
        fc.constantFrom('redirect_uri=', 'next=', 'returnUrl='),
        ({ path: p, v }, param) => {
          const text = `${param}${encodeURIComponent(`https://app.example.com${p}`)}`;
          for (const read of [templatePeoplePathsInText, (t: string) => sanitizeUrlsInText(t, url)])
            expect(read(text), text).not.toContain(v);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    ['/users//janedoe', '/users//{id}'],
    ['https://api.example.com/v1/users//janedoe', 'https://api.example.com/v1/users//{id}'],
    ['/users/./janedoe', '/users/./{id}'],
    ['/profiles//janedoe', '/profiles//{id}'],
    ['/users;jsessionid=abc/janedoe', '/users;jsessionid=REDACTED/{id}'],
    ['//users/janedoe', '//users/{id}'],
    // an invisible character inside the people word (the segment itself is `{id}`: non-ASCII)
    ['/u\u200Bsers/janedoe', '/{id}/{id}'],
    ['/users%2Fjanedoe', '/users%2F{id}'],
    ['/login?next=%2Fusers%2Fjanedoe', '/login?next=REDACTED'],
  ])('URL sanitizer: %s → %s', (input, expected) => {
    expect(url(input)).toBe(expected);
  });

  it.each([
    ['{"path":"\\/users\\/janedoe"}', '{"path":"\\/users\\/{id}"}'],
    [
      'callback https:\\/\\/app.example.com\\/profile\\/janedoe failed',
      'callback https:\\/\\/app.example.com\\/profile\\/{id} failed',
    ],
    [
      'redirect_uri=https%3A%2F%2Fapp.example.com%2Fusers%2Fjanedoe',
      'redirect_uri=https%3A%2F%2Fapp.example.com%2Fusers%2F{id}',
    ],
    ['<a href="&#x2F;users&#x2F;janedoe">', '<a href="&#x2F;users&#x2F;{id}">'],
    ['GET ／users／janedoe', 'GET ／users／{id}'],
    ['GET ／ｕｓｅｒｓ／ｊａｎｅｄｏｅ', 'GET ／ｕｓｅｒｓ／{id}'],
    ['GET /users\\janedoe', 'GET /users\\{id}'],
    ['users=2Fjanedoe', 'users=2F{id}'],
  ])('escaped in text: %s → %s', (input, expected) => {
    expect(templateEscapedPeoplePaths(input)).toBe(expected);
    expect(templatePeoplePathsInText(input)).toBe(expected);
  });

  it('a JSON-escaped URL in a log body keeps its escapes and its host', () => {
    expect(sanitizeUrlsInText('callback https:\\/\\/app.example.com\\/profile\\/janedoe failed', url)).toBe(
      'callback https:\\/\\/app.example.com\\/profile\\/{id} failed',
    );
    expect(sanitizeUrlsInText('see https:\\/\\/app.example.com\\/orders\\/4711', url)).toBe(
      'see https:\\/\\/app.example.com\\/orders\\/{id}',
    );
  });
});

describe('look-alikes of those paths stay as written', () => {
  const text = ['URL words in text (log body)', 'paths in free text (error.type)', 'span name'];
  it.each([
    'password is required',
    'token expired',
    'the password field',
    'bypass=cache',
    'logged in\\nnext step',
    '{"msg":"signed in\\tok"}',
    'read 3 users\\n',
    'C:\\Users\\Public\\Documents',
    'GET /users%2Fme 200',
    'see \\/users\\/me\\/settings',
    'see https:\\/\\/app.example.com\\/users\\/me',
    'path\\to\\users\\list',
    'users／new',
    'ＵＳＥＲＳ／ｓｅｔｔｉｎｇｓ',
    'teams=2Fall',
    'enabled users=2FA',
    'members=2F',
    'next=%2Fusers%2Fsearch',
  ])('in text: %s', (t) => {
    for (const name of text) expect(readers[name]!(t), name).toBe(t);
  });

  it.each([
    '/users%2Fsettings',
    '/users//settings',
    '/users/./me',
    '/users/../me',
    '/users/search/../me',
    '/profiles//me/avatar',
    '//cdn.example.com/users/me',
  ])('as a path, everywhere: %s', (t) => {
    for (const name of Object.keys(readers)) expect(readers[name]!(t), name).toBe(t);
  });
});
