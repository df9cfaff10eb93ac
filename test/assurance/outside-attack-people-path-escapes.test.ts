import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PEOPLE_AND_CREDENTIAL_WORDS } from '../../engine/sanitizers/people-routes';
import { type TextField, defaultPolicyPipelines, exportedThrough, personKey } from './helpers/outside-attack';

// An outside tester's round 18, default policy, real SDK providers: a user name after a people word in a path was
// exported whole from every field when (a) an empty or `.` segment stood between them
// (`https://api.example.com/v1/users//janedoe`, a base URL ending in `/` joined with `/users/…`; `/users/./janedoe`,
// `/profiles//janedoe`) or (b) the `/` was written escaped: `users%2Fjanedoe`, JSON's `{"path":"\/users\/janedoe"}`,
// `callback https:\/\/app.example.com\/profile\/janedoe failed`,
// `redirect_uri=https%3A%2F%2Fapp.example.com%2Fusers%2Fjanedoe`, `&#x2F;`, `\x2f`, `\u002f`, `=2F`, fullwidth `／`.
const pipelines = defaultPolicyPipelines();

/** Every word the people rule knows, in the cases a route writes it. */
const peopleWord = fc
  .tuple(fc.constantFrom(...PEOPLE_AND_CREDENTIAL_WORDS), fc.constantFrom('lower', 'upper', 'capital'))
  .map(([w, c]) => (c === 'lower' ? w : c === 'upper' ? w.toUpperCase() : w[0]!.toUpperCase() + w.slice(1)));

/** Between the people word and the name with plain slashes: empty, `.`, `..` segments, matrix parameters. */
const plainGap = fc.constantFrom('//', '///', '/./', '/.//', '/../', '/x/../', ';jsessionid=abc/', '/;v=1/');

/** Slash forms a URL attribute carries (percent-encoded). */
const urlSlash = fc.constantFrom('%2F', '%2f', '%252F', '%5C');
/** Slash forms free text carries: percent, HTML, backslash escapes, JSON, quoted-printable, fullwidth. */
const textSlash = fc.oneof(
  urlSlash,
  fc.constantFrom('&#x2F;', '&#47;', '&sol;', '\\x2f', '\\u002f', '\\u{2f}', '\\057', '\\/', '=2F', '%u002F', '／'),
);

const plainPath = fc.tuple(peopleWord, plainGap, personKey).map(([w, g, v]) => ({ path: `/${w}${g}${v}`, v }));
const escapedPath = (slash: fc.Arbitrary<string>) =>
  fc
    .tuple(peopleWord, slash, fc.constantFrom('', '.', '..'), personKey)
    .map(([w, s, dot, v]) => ({ path: `${s}${w}${s}${dot === '' ? '' : dot + s}${v}`, v }));

/** How free text carries a path: a log line, an error, JSON, XML, YAML, a redirect URL, a form value. */
const textWrap = fc.constantFrom(
  (p: string) => `GET ${p} 404`,
  (p: string) => `NotFound ${p}`,
  (p: string) => `{"message":"Not found","path":"${p}"}`,
  (p: string) => `<a href="${p}">profile</a>`,
  (p: string) => `path: ${p}`,
  (p: string) => `callback https://app.example.com${p} failed`,
);

const textFields: TextField[] = ['log body', 'error.type', 'span name', 'event name'];

describe('a name after a people word through a dot segment or an escaped /', () => {
  it('is not exported from url.full, url.path or http.route', () => {
    fc.assert(
      fc.property(fc.oneof(plainPath, escapedPath(urlSlash)), ({ path, v }) => {
        const span = pipelines.tracerProvider.getTracer('attack').startSpan('op', {
          attributes: { 'url.full': `https://api.example.com/v1${path}`, 'url.path': path, 'http.route': path },
        });
        span.end();
        expect(pipelines.exportedJson(), path).not.toContain(v);
      }),
      { numRuns: 150 },
    );
  });

  it('is not exported from a log body, error.type, a span name or an event name', () => {
    fc.assert(
      fc.property(fc.oneof(plainPath, escapedPath(textSlash)), textWrap, ({ path, v }, wrap) => {
        const text = wrap(path);
        for (const field of textFields)
          expect(exportedThrough(pipelines, field, text), `${field}: ${text}`).not.toContain(v);
      }),
      { numRuns: 150 },
    );
  });

  it('is not exported from exception.type or a redirect parameter that percent-encodes the URL', () => {
    fc.assert(
      fc.property(plainPath, fc.constantFrom('redirect_uri=', 'next=', 'returnUrl='), ({ path, v }, param) => {
        if (path.includes(';') || path.includes('/x/')) return; // a `;` or a segment before `..`, encoded: not read
        const text = `${param}${encodeURIComponent(`https://app.example.com${path}`)}`;
        const span = pipelines.tracerProvider.getTracer('attack').startSpan('op');
        span.addEvent('exception', { 'exception.type': text });
        span.end();
        expect(pipelines.exportedJson(), text).not.toContain(v);
        for (const field of textFields)
          expect(exportedThrough(pipelines, field, text), `${field}: ${text}`).not.toContain(v);
      }),
      { numRuns: 80 },
    );
  });

  it.each([
    'GET /users//settings 200',
    'GET /users/./me 200',
    'GET /users%2Fme 200',
    'redirect to %2Fusers%2Fsearch',
    'see \\/users\\/me\\/settings',
    'logged in\\nnext step',
    'signed in\\tok',
  ])('keeps route words after the same writings: %s', (text) => {
    for (const field of ['log body', 'error.type'] as const)
      expect(exportedThrough(pipelines, field, text), field).toContain(text);
  });
});
