import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// Redis/Valkey and Memcached keys holding an identifier, through real SDK providers with the default policy: the
// statement sanitizer keeps a key's namespace words and masks its data segments. An identifier written with dots (an
// e-mail address, an address, a dotted id) used to be masked part by part, so its word parts stayed
// (`GET user:jane.doe@example.com` → `GET user:jane.?.com`). Every segment holding an identifier must be one `?`.

const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x4d).toString('base64')}`; // fake test key
const { tracerProvider, exportedJson } = privacyPipelines(defaultPolicy());
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz');
const word = (min: number, max: number) => fc.string({ unit: lower, minLength: min, maxLength: max });
/**
 * A namespace word that holds no credential label: after `pwd:`, `password:`, `token:` … the labeled-secret detector
 * masks the rest of the key too (`pwd:aa:?` → `pwd:[REDACTED:labeled-secret]`, docs/detectors.md), so such a word
 * is not one this property's "namespace words kept" can hold for.
 */
const namespaceWord = (min: number, max: number) =>
  word(min, max).filter((w) => !/pass|pwd|secret|key|token|sig|sess|cookie/.test(w));
const num = (max: number) => fc.integer({ min: 0, max }).map(String);

/** Identifiers as keys embed them: e-mail addresses, IPv4 addresses, dotted ids mixing words and numbers. */
const identifier: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.array(word(1, 8), { minLength: 1, maxLength: 3 }),
      fc.constantFrom('.', '_', '+', '-'),
      fc.array(word(1, 8), { minLength: 1, maxLength: 3 }),
      fc.constantFrom('com', 'org', 'net', 'example'),
    )
    .map(([local, join, domain, tld]) => `${local.join(join)}@${[...domain, tld].join('.')}`),
  fc.tuple(num(255), num(255), num(255), num(255)).map((o) => o.join('.')),
  fc
    .tuple(fc.array(fc.oneof(word(1, 8), num(99999)), { minLength: 1, maxLength: 3 }), num(9999), word(1, 6))
    .map(([parts, n, w]) => [...parts, n, w].join('.')),
);

/** A command and where its key goes (`K`), in Redis or Memcached. */
const command = fc.constantFrom(
  ['redis', 'GET K'],
  ['redis', 'SET K v1'],
  ['redis', 'HGET K field'],
  ['redis', 'DEL K'],
  ['valkey', 'EXPIRE K 60'],
  ['memcached', 'get K'],
  ['memcached', 'delete K'],
);

describe('Redis and Memcached keys holding an identifier (property)', () => {
  it('the identifier segment is exported as one ? (no part of it kept), namespace words kept', () => {
    fc.assert(
      fc.property(
        command,
        fc.array(namespaceWord(2, 10), { maxLength: 2 }),
        identifier,
        fc.option(namespaceWord(2, 10), { nil: undefined }),
        fc.constantFrom(':', '/', '|', '#'),
        ([system, template], namespace, id, suffix, delimiter) => {
          const key = [...namespace, id, ...(suffix === undefined ? [] : [suffix])].join(delimiter);
          const want = [...namespace, '?', ...(suffix === undefined ? [] : [suffix])].join(delimiter);
          const statement = template.replace('K', key);
          tracerProvider
            .getTracer('keys')
            .startSpan('cache', { attributes: { 'db.system.name': system, 'db.query.text': statement } })
            .end();
          const span = JSON.parse(exportedJson().split('\n')[0]).resourceSpans[0].scopeSpans[0].spans[0];
          const text = span.attributes.find((a: { key: string }) => a.key === 'db.query.text')?.value.stringValue;
          expect(String(text).split(' ')[1], statement).toBe(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});
