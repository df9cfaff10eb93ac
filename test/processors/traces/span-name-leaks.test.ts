import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivacySpanProcessor, defaultPolicy } from '../../../index';
import { fuzzParameters } from '../../assurance/fuzz-runs';

// Identifiers in span names of spans without a database system, through the default policy on a real
// TracerProvider: the canary never reaches the exporter, and the low-cardinality names of the corpus stay as they are.

const KEY = 'fake-hmac-key-for-span-name-tests-0123456789';
let provider: TracerProvider;
let exporter: InMemorySpanExporter;
let tracer: ReturnType<TracerProvider['getTracer']>;

beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = KEY;
  exporter = new InMemorySpanExporter();
  provider = new TracerProvider({
    spanProcessors: [
      new PrivacySpanProcessor({ policy: defaultPolicy(), next: new SimpleSpanProcessor({ exporter }) }),
    ],
  });
  tracer = provider.getTracer('span-name-leaks');
});
afterAll(async () => {
  await provider.shutdown();
  delete process.env.OTEL_PRIVACY_HMAC_KEY;
});

/** The exported span of one span named `name` (its name, attributes and events, as JSON). */
function exported(name: string, attributes: Attributes = {}): { name: string; text: string } {
  exporter.reset();
  tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }).end();
  const [span] = exporter.getFinishedSpans();
  return { name: span!.name, text: JSON.stringify([span!.name, span!.attributes, span!.events]) };
}

const lower = 'abcdefghijklmnopqrstuvwxyz';
const chars = (alphabet: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
const digits = (min: number, max: number) =>
  fc.tuple(fc.constantFrom(...'123456789'), chars('0123456789', min - 1, max - 1)).map(([a, b]) => a + b);

/** Identifiers by shape: hex ids, mixed-case tokens, numbers, e-mails, UUIDs (obviously fake). */
const shapedId = fc.oneof(
  fc.tuple(chars('0123456789abcdef', 11, 23), fc.constantFrom(...'0123456789')).map(([h, d]) => `f${h}${d}`),
  fc.tuple(chars(lower + lower.toUpperCase() + '0123456789', 13, 21)).map(([t]) => `Q${t}z7`),
  digits(4, 12),
  fc
    .tuple(chars(lower, 3, 8), digits(1, 4), fc.constantFrom('example.test', 'mail.example'))
    .map(([l, d, dom]) => `${l}.${d}@${dom}`),
  fc.uuid(),
);
/** Any identifier, also a plain user name (an identifier by the key before it). */
const keyedValue = fc.oneof(
  shapedId,
  chars(lower, 5, 10).map((s) => `zq${s}`),
);

const verb = fc.constantFrom('GET', 'HGETALL', 'lookup', 'fetch', 'DEL', 'process');
/** Punctuation a word may stand in. */
const wrap = fc.constantFrom(
  (w: string) => w,
  (w: string) => `(${w})`,
  (w: string) => `"${w}"`,
  (w: string) => `${w},`,
  (w: string) => `[${w}]`,
);

/** Transformation operators: each embeds a canary into a span name. */
const embeddings: fc.Arbitrary<{ name: string; canary: string }>[] = [
  // key:value, with an identifier key or any key and a shaped value
  fc
    .tuple(verb, fc.constantFrom('user', 'session', 'customer', 'account', 'user_id', 'sid'), keyedValue, wrap)
    .map(([v, k, id, w]) => ({ name: `${v} ${w(`${k}:${id}`)}`, canary: id })),
  fc
    .tuple(verb, fc.constantFrom('order', 'cart', 'cache', 'app:order', 'lock'), shapedId, fc.constantFrom(':', '='))
    .map(([v, k, id, sep]) => ({ name: `${v} ${k}${sep}${id}:items`, canary: id })),
  // URNs
  fc
    .tuple(verb, fc.constantFrom('user', 'uuid', 'isbn', 'example:tenant'), keyedValue)
    .map(([v, nid, id]) => ({ name: `${v} urn:${nid}:${id}`, canary: id })),
  // a word after a path or a method
  fc
    .tuple(fc.constantFrom('GET /users/', 'POST /orders', 'lookup', 'HTTP GET'), shapedId, wrap)
    .map(([p, id, w]) => ({ name: `${p} ${w(id)}`, canary: id })),
  // an identifier as a host label, bare and in a URL, and as a URL's userinfo
  fc
    .tuple(chars(lower, 3, 8), digits(3, 6), fc.constantFrom('users.example.test', 'svc.cluster.test'))
    .chain(([l, d, domain]) =>
      fc.constantFrom(
        { name: `GET ${l}-${d}.${domain}`, canary: `${l}-${d}` },
        { name: `GET https://${l}-${d}.${domain}/orders`, canary: `${l}-${d}` },
        { name: `connect ${l}-${d}.${domain}:5432`, canary: `${l}-${d}` },
        { name: `GET http://${l}${d}@${domain}/orders`, canary: `${l}${d}` },
      ),
    ),
  // SQL identifiers quoted around values, in names without a system
  fc
    .tuple(
      fc.constantFrom('SELECT * FROM ', 'UPDATE ', 'DELETE FROM t WHERE x = '),
      fc.oneof(
        shapedId.filter((s) => /@|^\d+$|^[0-9a-f-]{12,}$/i.test(s)),
        digits(3, 9),
      ),
      fc.constantFrom(
        (v: string) => `\`${v}\``,
        (v: string) => `"${v}"`,
      ),
    )
    .map(([s, id, q]) => ({ name: `${s}${q(id)}`, canary: id })),
  fc
    .tuple(
      fc.constantFrom('SELECT * FROM ', 'UPDATE '),
      chars(lower, 3, 8),
      fc.constantFrom('example.test', 'corp.test'),
    )
    .map(([s, l, d]) => ({ name: `${s}[${l}@${d}]`, canary: `${l}@${d}` })),
];

/** Words that name people or their keys, as a collection in a route, a dotted name or a host (`users`, `customer`). */
const peopleWord = fc.constantFrom('users', 'user', 'customers', 'accounts', 'members', 'customer', 'sessions');
/** A plain-word user name: letters, a `.` or `-` between two of them, or a separator and a number after them. */
const plainName = fc.oneof(
  fc
    .tuple(chars(lower, 3, 8), fc.constantFrom('.', '+', '%2E'), chars(lower, 2, 8))
    .map(([a, s, b]) => `zq${a}${s}${b}`),
  fc
    .tuple(chars(lower, 3, 8), fc.constantFrom('-', '_'), chars('0123456789', 4, 6))
    .map(([a, s, d]) => `zq${a}${s}${d}`),
  fc.tuple(chars(lower, 3, 8), chars('0123456789', 2, 4)).map(([a, d]) => `zq${a}0${d}`),
  fc.tuple(chars(lower, 3, 8), fc.constantFrom('A', 'J', 'M'), chars(lower, 2, 5)).map(([a, c, b]) => `Zq${a}${c}${b}`),
);
/** A user name with a number (`jane-0001`): an identifier wherever it stands. */
const numberedName = fc
  .tuple(chars(lower, 3, 8), fc.constantFrom('-', '_', ''), chars('0123456789', 3, 6))
  .map(([a, s, d]) => `zq${a}${s}${s === '' || d.length === 3 ? '0' : ''}${d}`);

/** Plain-word identifiers by their place in the name (messaging destination, route, dotted name, host label). */
const placedNames: fc.Arbitrary<{ name: string; canary: string }>[] = [
  fc
    .tuple(fc.constantFrom('send', 'receive', 'process', 'publish', 'settle', 'GET', 'lookup'), numberedName, wrap)
    .map(([v, id, w]) => ({ name: `${v} ${w(id)}`, canary: id })),
  fc
    .tuple(
      fc.constantFrom('', 'shop.', 'app.v2.'),
      peopleWord,
      fc.oneof(numberedName, plainName),
      fc.constantFrom('', '.orders'),
    )
    .filter(([, , id]) => !id.includes('.'))
    .map(([p, k, id, t]) => ({ name: `send ${p}${k}.${id}${t}`, canary: id })),
  fc
    .tuple(
      fc.constantFrom('GET', 'POST', 'HTTP GET', 'fetch'),
      fc.constantFrom('', '/api/v1', 'https://shop.example.test'),
      peopleWord,
      fc.oneof(numberedName, plainName),
      fc.constantFrom('', '/orders', '?page=2'),
    )
    .map(([m, pre, k, id, tail]) => ({ name: `${m} ${pre}/${k}/${id}${tail}`, canary: id })),
  fc
    .tuple(
      fc.constantFrom('GET', 'connect'),
      chars(lower, 3, 8),
      peopleWord,
      fc.constantFrom('example.test', 'svc.test'),
    )
    .map(([v, l, k, d]) => ({ name: `${v} zq${l}.${k}.${d}`, canary: `zq${l}` })),
];

/** Path segments that name people: the segment after one is the person's key unless it is a route word of theirs. */
const peopleSegment = fc.constantFrom(
  'users',
  'user',
  'Users',
  'customers',
  'accounts',
  'members',
  'profiles',
  'people',
  'patients',
  'employees',
);
/**
 * A user name shaped like a route word (`alice`, `jane_doe`, `jane-doe`, `janeDoe`, `jane-123`, `jane2024`); the
 * `zq` start keeps it out of the route words a people segment may be followed by.
 */
const routeShapedName = fc
  .oneof(
    chars(lower, 2, 8).map((a) => `zq${a}`),
    fc
      .tuple(chars(lower, 2, 8), fc.constantFrom('_', '-', '.'), chars(lower, 2, 8))
      .map(([a, s, b]) => `zq${a}${s}${b}`),
    fc.tuple(chars(lower, 2, 8), chars(lower, 2, 6)).map(([a, b]) => `zq${a}${b[0]!.toUpperCase()}${b.slice(1)}`),
    fc.tuple(chars(lower, 2, 8), fc.constantFrom('-', '_', ''), digits(3, 4)).map(([a, s, d]) => `zq${a}${s}${d}`),
    // a known limit: a word ending like an English noun (`…tion`, `…ment`) reads as a route word
  )
  .filter((n) => !/(?:tion|sion|ment|ness|able|ible|ship)s?(?:$|[-_.A-Z])/.test(n));
const routeShapedPlacements: fc.Arbitrary<{ name: string; canary: string }> = fc
  .tuple(
    fc.constantFrom('GET', 'POST', 'HTTP GET', 'fetch', 'DELETE'),
    fc.constantFrom('', '/api/v1', '/v2', 'https://shop.example.test', '/tenants/{tenantId}'),
    peopleSegment,
    routeShapedName,
    fc.constantFrom('', '/', '/orders', '/settings', '?page=2', '#top'),
    wrap,
  )
  .map(([m, pre, k, id, tail, w]) => ({ name: `${m} ${w(`${pre}/${k}/${id}${tail}`)}`, canary: id }));

/** Words naming a key (not people: see `peopleSegment`), after which a segment is a value unless it is a route word. */
const keyWord = fc.constantFrom('session', 'sessions', 'token', 'sid', 'device', 'login', 'email', 'username', 'uid');
/** A key's place: a path segment or a dotted name. */
const keyPlace = fc.constantFrom(
  (k: string, v: string) => `GET /${k}/${v}`,
  (k: string, v: string) => `DELETE /api/v1/${k}/${v}/events`,
  (k: string, v: string) => `lookup ${k}.${v}`,
);
/** A mixed-case value that no camelCase route word is (`zqjaneDOE`, `zqaX`, `zqbobJ4711`): upper case not followed by lower. */
const mixedCaseValue = fc
  .tuple(chars(lower, 1, 6), chars(lower.toUpperCase(), 1, 4), chars(lower.toUpperCase() + '0123456789', 0, 4))
  .map(([a, b, c]) => `zq${a}${b}${c}`);
/** A camelCase route word (`byEmail`, `lastSeenAt`): not a value. */
const camelRouteWord = fc
  .tuple(chars(lower, 2, 8), fc.array(chars(lower, 2, 6), { minLength: 1, maxLength: 2 }))
  .map(([a, rest]) => a + rest.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(''));

describe('identifiers in span names (no database system), default policy, real TracerProvider', () => {
  it('never exports a plain-word identifier an operator placed where names carry one', () => {
    fc.assert(
      fc.property(fc.oneof(...placedNames), ({ name, canary }) => {
        const out = exported(name);
        expect(out.text, `${name} → ${out.name}`).not.toContain(canary);
      }),
      fuzzParameters(400),
    );
  });

  it('never exports a user name shaped like a route word after a path segment naming people', () => {
    fc.assert(
      fc.property(routeShapedPlacements, ({ name, canary }) => {
        const out = exported(name);
        expect(out.text, `${name} → ${out.name}`).not.toContain(canary);
      }),
      fuzzParameters(300),
    );
  });

  it('never exports a mixed-case value after a key word, and keeps a camelCase route word there', () => {
    fc.assert(
      fc.property(keyWord, keyPlace, mixedCaseValue, camelRouteWord, (k, place, value, route) => {
        const out = exported(place(k, value));
        expect(out.text, `${place(k, value)} → ${out.name}`).not.toContain(value);
        // in a path, the segment after `token` (a credential word) stays only when made of route words (`refresh`)
        const name = place(k, route);
        if (k !== 'token' || name.startsWith('lookup')) expect(exported(name).name).toBe(name);
        else expect(exported(name).name).toBe(name.replace(`/${route}`, '/{id}'));
      }),
      fuzzParameters(300),
    );
  });

  it('never exports the canary an operator embedded in a name', () => {
    fc.assert(
      fc.property(fc.oneof(...embeddings), ({ name, canary }) => {
        const out = exported(name);
        expect(out.text, `${name} → ${out.name}`).not.toContain(canary);
      }),
      fuzzParameters(400),
    );
  });

  it.each([
    ['GET user:8f3a9c2e71d04b5a', 'GET user:{id}'],
    ['HGETALL session:Zk3pQ9xT2mLw8RvB', 'HGETALL session:{id}'],
    ['GET urn:user:4711', 'GET urn:user:{id}'],
    ['GET /users/ alice@example.test', 'GET /users/ [REDACTED:email]'],
    ['charge card 4111 1111 1111 1111', 'charge card [REDACTED:payment-card]'],
    ['GET /users/ 4711', 'GET /users/ {id}'],
    ['GET user:alice', 'GET user:{id}'],
    ['GET order:u-4711:items', 'GET order:{id}:items'],
    ['SELECT * FROM `alice@example.test`', 'SELECT * FROM ?'],
    ['SELECT * FROM `4711`', 'SELECT * FROM ?'],
    ['SELECT * FROM [alice@example.test]', 'SELECT * FROM ?'],
    ['SELECT * FROM "alice@example.test"', 'SELECT * FROM ?'],
    ['GET alice-1234.users.example.test', 'GET {id}.users.example.test'],
    ['GET https://alice-1234.users.example.test/x', 'GET https://{id}.users.example.test/x'],
    ['GET http://alice@example.test.svc/orders', 'GET http://example.test.svc/orders'],
    ['send jane-0001', 'send {id}'],
    ['users.jane-0001', 'users.{id}'],
    ['GET /users/jane.doe', 'GET /users/{id}'],
    ['GET https://shop.example.test/customers/jane.doe/orders', 'GET https://shop.example.test/customers/{id}/orders'],
    ['GET alice.users.example.test', 'GET {id}.users.example.test'],
    ['DELETE /sessions/current', 'DELETE /sessions/current'],
    ['verify aes-256', 'verify aes-256'],
    ['GET /users/alice', 'GET /users/{id}'],
    ['GET /users/jane_doe/orders', 'GET /users/{id}/orders'],
    ['GET /customers/jane.doe/orders', 'GET /customers/{id}/orders'],
    ['GET /users/jane-123', 'GET /users/{id}'],
    ['GET /users/jane2024', 'GET /users/{id}'],
    ['GET /users/:id', 'GET /users/:id'],
    ['GET /users/{userId}/orders', 'GET /users/{userId}/orders'],
    ['GET /users/me/settings', 'GET /users/me/settings'],
    ['POST /users/password/reset', 'POST /users/password/reset'],
    ['GET /users/by-email', 'GET /users/by-email'],
  ])('%s → %s', (name, expected) => {
    expect(exported(name).name).toBe(expected);
  });

  it.each([
    // low-cardinality names
    ['legit-span-names.txt', 60],
    // routes after people segments of public API references
    ['legit-people-routes.txt', 100],
  ])('keeps the names of testdata/%s as they are', (file, least) => {
    const corpus = readFileSync(join(__dirname, '../../engine/sanitizers/testdata', file), 'utf8')
      .split('\n')
      .filter((l) => l.length > 0 && !l.startsWith('#'));
    expect(corpus.length).toBeGreaterThan(least);
    const changed = corpus.map((n) => [n, exported(n).name]).filter(([n, out]) => n !== out);
    expect(changed).toEqual([]);
  });
});
