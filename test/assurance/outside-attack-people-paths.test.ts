import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultPolicyPipelines, personKey, sendAsNames } from './helpers/outside-attack';

// A person's key or a link's credential written as a path segment of letters only, right after a segment naming
// people (`/users/janedoe`) or a credential (`/reset-password/<token>`, `/invite/<code>`, `/api/token/<token>`), sent
// by an outside tester through real SDK providers with the real privacy processors and the default policy. Before
// the people-route rule reached the URL sanitizer, only span names templated `/users/<name>`: `url.full`, `url.path`,
// `http.route`, span event names and log bodies exported the name, and every field the token (no digit for the ID
// rules to find).
const pipelines = defaultPolicyPipelines();

/** Segments naming people or a credential, in the cases and naming styles a route writes them. */
const keySegment = fc.constantFrom(
  'users',
  'Users',
  'customer',
  'members',
  'profiles',
  'people',
  'patients',
  'reset-password',
  'password_reset',
  'passwordReset',
  'reset',
  'invite',
  'invitations',
  'magic-link',
  'verify',
  'confirm',
  'activate',
  'unsubscribe',
  'token',
  'tokens',
  '%75sers',
  'reset%2Dpassword',
  // compatibility forms (fullwidth), read as NFKC folds them
  'ｕsers',
  'ｕｓｅｒｓ',
  'Ｍｅｍｂｅｒｓ',
  'ｒｅｓｅｔ-password',
);
/** A person's key or a link's token of letters (`personKey`). */
const value = personKey;
const written = fc
  .tuple(fc.constantFrom('', '/api/v1', '/app'), keySegment, value, fc.constantFrom('', '/orders', '/x/y', '?page=2'))
  .map(([pre, key, v, rest]) => ({ path: `${pre}/${key}/${v}${rest}`, v }));

describe('a person key or a credential after a people or credential segment of a path', () => {
  it('is not exported from url.full, url.path, http.route, a span name, an event name or a log body', () => {
    fc.assert(
      fc.property(written, ({ path, v }) => {
        const url = `https://app.example.com${path}`;
        const span = pipelines.tracerProvider
          .getTracer('attack')
          .startSpan('GET', { attributes: { 'url.full': url, 'url.path': path, 'http.route': path } });
        span.end();
        expect(pipelines.exportedJson(), url).not.toContain(v);
        const names = sendAsNames(pipelines, `GET ${url}`);
        expect(JSON.stringify(names), url).not.toContain(v);
        expect(names.body, url).toContain('/{id}');
      }),
      { numRuns: 80 },
    );
  });

  it.each([
    '/users/me/settings',
    '/users/by-email',
    '/oauth/token/refresh',
    '/password/reset/confirm',
    '/invitations/pending',
    '/reset-password/new',
    '/unsubscribe/{token}',
  ])('keeps the route words of such routes: %s', (path) => {
    const url = `https://app.example.com${path}`;
    const span = pipelines.tracerProvider.getTracer('attack').startSpan('GET', { attributes: { 'url.full': url } });
    span.end();
    expect(pipelines.exportedJson()).toContain(JSON.stringify(url));
    expect(sendAsNames(pipelines, `GET ${url}`).body).toBe(`GET ${url}`);
  });
});
