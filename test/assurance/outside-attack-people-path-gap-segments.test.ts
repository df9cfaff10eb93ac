import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PEOPLE_AND_CREDENTIAL_WORDS } from '../../engine/sanitizers/people-routes';
import { type TextField, defaultPolicyPipelines, exportedThrough, personKey } from './helpers/outside-attack';

// The second outside attacker of round 18, default policy, real SDK providers: a user name after a people word was
// exported whole when the segment between them held no letter or digit once decoded (`/users/%252e/janedoe` →
// `/users/{id}/janedoe`; `%u002e`, fullwidth `．`, `。`, `%09`, `%20`, `-`, `_`, `@`, `~`, `*`, `:`) or dots were
// glued to the people word (`/users./janedoe`, `/users../janedoe`).
const pipelines = defaultPolicyPipelines();

const peopleWord = fc
  .tuple(fc.constantFrom(...PEOPLE_AND_CREDENTIAL_WORDS), fc.constantFrom('lower', 'upper', 'capital'))
  .map(([w, c]) => (c === 'lower' ? w : c === 'upper' ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1)));

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
  './',
  '../',
);

const path = fc.tuple(peopleWord, gap, personKey).map(([w, g, v]) => ({ path: `/${w}${g}${v}`, v }));

const textWrap = fc.constantFrom(
  (p: string) => `GET ${p} 404`,
  (p: string) => `NotFound ${p}`,
  (p: string) => `{"message":"Not found","path":"${p}"}`,
  (p: string) => `path: ${p}`,
  (p: string) => `callback https://app.example.com${p} failed`,
);

const textFields: TextField[] = ['log body', 'error.type', 'span name'];

describe('a name after a people word and a segment without a letter or digit', () => {
  it('is not exported from url.full, url.path or http.route', () => {
    fc.assert(
      fc.property(path, ({ path: p, v }) => {
        pipelines.tracerProvider
          .getTracer('attack')
          .startSpan('op', {
            attributes: { 'url.full': `https://api.example.com/v1${p}`, 'url.path': p, 'http.route': p },
          })
          .end();
        expect(pipelines.exportedJson(), p).not.toContain(v);
      }),
      { numRuns: 100 },
    );
  });

  it('is not exported from a log body, error.type or a span name', () => {
    fc.assert(
      fc.property(path, textWrap, ({ path: p, v }, wrap) => {
        const text = wrap(p);
        for (const field of textFields)
          expect(exportedThrough(pipelines, field, text), `${field}: ${text}`).not.toContain(v);
      }),
      { numRuns: 100 },
    );
  });

  it('is not exported from free text when the segment is a blank or a tab (the words split there)', () => {
    fc.assert(
      fc.property(peopleWord, fc.constantFrom('/ /', '/\t/', ' /', '. /'), personKey, textWrap, (w, g, v, wrap) => {
        const text = wrap(`/${w}${g}${v}`);
        for (const field of textFields)
          expect(exportedThrough(pipelines, field, text), `${field}: ${text}`).not.toContain(v);
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    'GET /users/ /me 200',
    'a users /janedoe',
    'GET /users/-/settings 200',
    'NotFound /users/*/posts',
    'see /docs/-/janedoe',
    'password is required',
  ])('a look-alike stays as written: %s', (text) => {
    // (a span name of an HTTP method and a path is read by the span-name rules: left out)
    for (const field of ['log body', 'error.type'] as const)
      expect(exportedThrough(pipelines, field, text), field).toContain(text);
  });
});
