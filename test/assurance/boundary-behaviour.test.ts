import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy, definePolicy } from '../../index';
import { fuzzParameters } from './fuzz-runs';
import { privacyPipelines } from './helpers/outside-attack';

// Boundaries of what gets out and what stays readable, through real SDK providers with the real privacy processors and
// in-memory exporters (the exported OTLP/JSON read whole): span names and URL query strings under the default policy,
// and the value detectors' edges (an address written the way logs say where something ran, a vendor token prefix
// without its token). Each case is one a user or an attacker can write; the look-alikes must be exported as written.

const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x5a).toString('base64')}`; // fake test key
const byDefault = privacyPipelines(defaultPolicy());
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

const detecting = definePolicy({
  version: 1,
  attributes: { allow: ['app.*'] },
  logs: { attributes: { allow: ['log.body', 'app.*'] } },
  values: { detectors: 'all' },
});
const { spans, logs, tracerProvider, loggerProvider } = privacyPipelines(detecting);

/** `text` as a span attribute and a log body through the detecting pipelines: the two values as exported. */
function scanned(text: string): unknown[] {
  tracerProvider
    .getTracer('boundary')
    .startSpan('work', { attributes: { 'app.note': text } })
    .end();
  loggerProvider.getLogger('boundary').emit({ body: text });
  const out = [
    ...spans.getFinishedSpans().map((span) => span.attributes['app.note']),
    ...logs.getFinishedLogRecords().map((record) => record.body),
  ];
  spans.reset();
  logs.reset();
  return out;
}

const lower = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: min, maxLength: max });
/** Lower-case letters without the hex ones (a run of them is no hex identifier). */
const nonHex = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'ghijklmnopqrstuvwxyz'), minLength: min, maxLength: max });
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const hex = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: min, maxLength: max });

describe('span names under the default policy', () => {
  function exportedName(name: string): string {
    byDefault.tracerProvider.getTracer('boundary').startSpan(name).end();
    const [span] = byDefault.spans.getFinishedSpans();
    byDefault.spans.reset();
    return span!.name;
  }

  /** A numbered name (`jane-0001`, `INV-0042`): letters, a separator, four digits or more. */
  const numberedName = fc
    .tuple(nonHex(3, 8), fc.constantFrom('-', '_'), digits(4, 7))
    .map(([name, sep, number]) => `${name}${sep}${number}`);

  it('a numbered name after a one-character segment (`load u.jane-0001`, `GET a/jane-0001`) is templated', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('load', 'GET', 'cache', 'export'),
        fc.constantFrom(...'auxq'),
        fc.constantFrom('.', '/'),
        numberedName,
        (verb, first, sep, value) => {
          const name = exportedName(`${verb} ${first}${sep}${value}`);
          expect(name).not.toContain(value);
          expect(name).toBe(`${verb} ${first}${sep}{id}`);
        },
      ),
      fuzzParameters(25),
    );
  });

  it('a long single-case word with one or two digits in it (`paymentprocessorv2`) is a word, kept as written', () => {
    fc.assert(
      fc.property(nonHex(16, 30), digits(1, 2), fc.nat(30), fc.boolean(), (letters, number, at, upper) => {
        const cut = 1 + (at % (letters.length - 1));
        const word = letters.slice(0, cut) + number + letters.slice(cut);
        const cased = upper ? word.toUpperCase() : word;
        expect(exportedName(`run ${cased}`)).toBe(`run ${cased}`);
      }),
      fuzzParameters(25),
    );
  });
});

describe('URL query strings under the default policy', () => {
  it('a bare query string ending in `/` (`user=alice/`) has its parameter values removed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('user', 'ref', 'next', 'q', 'customer'),
        nonHex(6, 12),
        fc.constantFrom('/', '/x/', '&page=2/'),
        (param, value, tail) => {
          const canary = `zq${value}`;
          byDefault.tracerProvider
            .getTracer('boundary')
            .startSpan('GET', { attributes: { 'url.query': `${param}=${canary}${tail}` } })
            .end();
          const json = byDefault.exportedJson();
          expect(json).toContain('"url.query"');
          expect(json).not.toContain(canary);
        },
      ),
      fuzzParameters(20),
    );
  });
});

describe('value detectors: look-alikes stay, the real forms go', () => {
  /** A host that is no mail domain: labels and an internal top-level domain. */
  const internalHost = fc
    .tuple(
      fc.array(
        fc.tuple(lower(2, 8), fc.constantFrom('', '-1', '-02')).map(([l, n]) => l + n),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
      fc.constantFrom('local', 'internal', 'lan', 'corp', 'svc', 'cluster', 'intranet', 'localdomain'),
    )
    .map(([labels, tld]) => [...labels, tld].join('.'));

  it('`svc @ node-1.cluster.local` and `retry at db dot internal` (where something ran) are not masked as e-mail', () => {
    fc.assert(
      fc.property(lower(3, 10), internalHost, fc.boolean(), (who, host, spacedAt) => {
        const text = spacedAt ? `${who}-svc @ ${host}` : `retry at ${host.replace(/\./g, ' dot ')}`;
        expect(scanned(text)).toEqual([text, text]);
      }),
      fuzzParameters(40),
    );
    // the same forms with a mail domain are addresses
    expect(scanned('jane @ example.com').join()).not.toContain('example');
    expect(scanned('jane at example dot com').join()).not.toContain('example');
  });

  it('a Shopify prefix without its 32 hex digits (`shpat_3fa9`) is no token; with them it is', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('shpat_', 'shpss_', 'shpca_', 'shppa_'),
        hex(1, 31),
        fc.constantFrom('', ' expired', '.', ' -- retry'),
        (prefix, digitsAfter, after) => {
          const text = `${prefix}${digitsAfter}${after}`;
          expect(scanned(text)).toEqual([text, text]);
        },
      ),
      fuzzParameters(40),
    );
    const token = `shpat_${'0123456789abcdef'.repeat(2)}`;
    expect(scanned(`token ${token}`).join()).not.toContain('0123456789abcdef');
  });
});
