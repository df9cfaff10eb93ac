import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, personKey, sendAsNames } from './helpers/outside-attack';

// An outside tester's round 16 (names in URL paths), default policy, real SDK providers: a name after a path word
// missing from the people list (`/staff/janedoe`, `/students/`, `/contacts/`, `/friends/`, `/followers/`, `/team/`,
// `/authors/jane-doe`, `/in/janedoe`, `/user-profile/`, `/mailbox/janedoe/inbox`, `/dm/`, `/channel/`), or after a
// route word naming the lookup key (`/users/name/janedoe`, `/users/by-name/…`, `/users/by-email/…`,
// `/users/username/…`), was exported from URL attributes, span names and log bodies; and a path in a free-text
// attribute (`error.type` "NotFound /users/janedoe") was exported as written.
const pipelines = defaultPolicyPipelines();

/** The people segments of the report, in the cases and forms a route writes them. */
const peopleWord = fc
  .tuple(
    fc.constantFrom(
      'staff',
      'students',
      'student',
      'contacts',
      'friends',
      'followers',
      'team',
      'teams',
      'authors',
      'author',
      'in',
      'user-profile',
      'userProfile',
      'mailbox',
      'dm',
      'channel',
      'channels',
      'users',
    ),
    fc.constantFrom<'lower' | 'upper' | 'capital' | 'fullwidth'>('lower', 'upper', 'capital', 'fullwidth'),
  )
  .map(([w, form]) =>
    form === 'upper'
      ? w.toUpperCase()
      : form === 'capital'
        ? w[0].toUpperCase() + w.slice(1)
        : form === 'fullwidth'
          ? w.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0x21 + 0xff01))
          : w,
  );
/** A route word naming the key the next segment looks a person up by (or none). */
const lookup = fc.constantFrom(
  '',
  'name',
  'by-name',
  'byName',
  'by_email',
  'email',
  'username',
  'by-username',
  'handle',
);
/** A person's key or a link's token of letters (`personKey`). */
const value = personKey;
const path = fc
  .tuple(fc.constantFrom('', '/api/v1', '/app'), peopleWord, lookup, value, fc.constantFrom('', '/inbox', '/x/y'))
  .map(([pre, word, by, v, rest]) => ({ path: `${pre}/${word}/${by === '' ? '' : `${by}/`}${v}${rest}`, v }));
/** How a free-text value carries the path (a request line, a log line, JSON, a query, brackets, a full URL). */
const inText = fc.constantFrom(
  (p: string) => `NotFound ${p}`,
  (p: string) => `GET ${p} 404`,
  (p: string) => `{"path":"${p}"}`,
  (p: string) => `redirect=${p}`,
  (p: string) => `no route (${p}).`,
  (p: string) => `at https://social.example${p}`,
  (p: string) => `'${p}'`,
);

describe('outside attack: names after people path words', () => {
  it('are not exported from url.full, url.path, a span name, an event name or a log body', () => {
    fc.assert(
      fc.property(path, ({ path: p, v }) => {
        const url = `https://social.example${p}`;
        pipelines.tracerProvider
          .getTracer('attack')
          .startSpan('GET', { attributes: { 'url.full': url, 'url.path': p } })
          .end();
        expect(pipelines.exportedJson(), url).not.toContain(v);
        const names = sendAsNames(pipelines, `GET ${url}`);
        expect(JSON.stringify(names), url).not.toContain(v);
      }),
      { numRuns: 120 },
    );
  });

  it('are not exported from a path in error.type or exception.type', () => {
    fc.assert(
      fc.property(path, inText, ({ path: p, v }, wrap) => {
        const text = wrap(p);
        pipelines.tracerProvider
          .getTracer('attack')
          .startSpan('op', { attributes: { 'error.type': text, 'exception.type': text } })
          .end();
        const out = pipelines.exportedJson();
        expect(out, text).not.toContain(v);
        // `{id}`, or `{user}` where the path also reads as a macOS home directory (`/Users/<name>/…`)
        expect(out, text).toMatch(/\/\{(?:id|user)\}/);
      }),
      { numRuns: 120 },
    );
  });

  // Look-alike prose and routes made of route words: exported exactly as written.
  it.each([
    'staff/students',
    'users/admins',
    'and/or',
    'TypeError: a/b is not a function',
    'NotFound /staff/me/settings',
    'NotFound /users/name/verify',
    'NotFound /users/by-email',
    'NotFound /teams/{teamId}/members',
    'GET /channel/settings 200',
    'GET /in/',
    'timeout after 12/05/2026',
    'see docs/detectors.md',
  ])('keeps %s in error.type', (text) => {
    pipelines.tracerProvider
      .getTracer('attack')
      .startSpan('op', { attributes: { 'error.type': text } })
      .end();
    expect(pipelines.exportedJson()).toContain(JSON.stringify(text));
  });

  it('keeps route words after the new people words in URLs', () => {
    for (const p of ['/staff/me/settings', '/students/search', '/followers/count', '/team/settings']) {
      const url = `https://social.example${p}`;
      expect(sendAsNames(pipelines, `GET ${url}`).body).toBe(`GET ${url}`);
    }
  });
});
