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
        // a `;`, a segment before `..` or a fullwidth word, percent-encoded: not read (listed in docs/detectors.md)
        if (path.includes(';') || path.includes('/x/') || !/^[\x20-\x7e]*$/.test(path)) return;
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

  // the attacker's realistic false positives of the same path rules in log bodies: kept as written
  it.each([
    'at /app/node_modules/express/lib/router/layer.js:95:5',
    '  File "/usr/lib/python3.11/site-packages/requests/adapters.py", line 519, in send',
    'goroutine 1 [running]:\n\t/src/app/main.go:27 +0x1d',
    '    at processTicksAndRejections (node:internal/process/task_queues:95:5)',
    'User-Agent: curl/8.5.0',
    'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Firefox/121.0',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36',
    'probe kube-probe/1.29 okhttp/4.12.0 grpc-java-netty/1.60.0',
    'Loaded module @nestjs/core@10.3.0',
    'retry 3/5 in 2s',
    'Content-Range: bytes 200-1000/67589',
    'card exp 12/28',
    'schedule */15 * * * *',
    'rate 100/s burst 200/s',
    'progress 45/120 files',
    'GET /users/index 200',
    'GET /members/benefits 200',
    'GET /users/avatar.png 200',
    'GET /users/2fa 200',
  ])('keeps a log line the path rules used to rewrite: %s', (text) => {
    for (const field of ['log body', 'error.type'] as const)
      expect(exportedThrough(pipelines, field, text), field).toContain(text);
  });

  // span names template a lone number by their own rule (`GET /users/index 200` → `… {id}`): these hold none
  it.each([
    'GET /users/index',
    'GET /members/benefits',
    'GET /users/avatar.png',
    'GET /users/2fa',
    'fetch curl/8.5.0',
    'load @nestjs/core@10.3.0',
    'at /app/node_modules/express/lib/router/layer.js:95:5',
  ])('keeps a span name the path rules used to rewrite: %s', (text) => {
    expect(exportedThrough(pipelines, 'span name', text)).toContain(text);
  });

  it.each([
    ['GET /users/janedoe.js:1 404', 'janedoe'],
    ['at /srv/users/janedoe/app.js:1:2', 'janedoe'],
    ['dob 01/02/1985', '1985'],
    ['GET /users/janedoe/avatar.png 200', 'janedoe'],
  ])('still rewrites the look-alike that holds a value: %s', (text, v) => {
    expect(exportedThrough(pipelines, 'log body', text).join('\n')).not.toContain(v);
  });
});
