import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PrivacyMetricReader, defaultPolicy, privacyViews } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// An outside tester's composed operators under the DEFAULT policy, through real SDK providers: a fake identifier
// written one character apart (`4 1 1 1 …`, `j.a.n.e.@…`, found as it is) and then put through a second operator that
// a reader or decoder downstream undoes: HTML or JSON escapes, percent- or quoted-printable encoding of the separators
// or of every character, fullwidth forms, zero-width characters or combining marks after each character. The spaced
// view used to read only the value as written, so `4&#32;1&#32;1…`, `４ １ １ …` and `j\u200b.a\u200b.n…` were exported
// whole in log bodies, log attributes and metric attributes alike.
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x3a).toString('base64')}`; // fake test key
const policy = defaultPolicy();
const { loggerProvider, exportedJson } = privacyPipelines(policy);

const metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
const reader = new PrivacyMetricReader({ policy, exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
const counter = meterProvider.getMeter('attack').createCounter('attack.requests');
afterAll(async () => {
  await meterProvider.shutdown();
});

/** Fake identities (example.com, a 555 number, a test card, an invalid-in-practice SSN, a documentation address). */
const canaries = [
  'jane.doe@example.com',
  '+1 202 555 0143',
  '4111 1111 1111 1111',
  '4111111111111111',
  '123-45-6789',
  'GB82 WEST 1234 5698 7654 32',
  '203.0.113.7',
];

const hex = (c: string) => c.codePointAt(0)!.toString(16);
const encodings: Record<string, (chars: string[], sep: string) => string> = {
  htmlSeparator: (chars, sep) => chars.join(`&#${sep.codePointAt(0)};`),
  htmlEvery: (chars, sep) => chars.map((c) => `&#x${hex(c)};`).join(`&#x${hex(sep)};`),
  jsonSeparator: (chars, sep) => chars.join(`\\u${hex(sep).padStart(4, '0')}`),
  percentSeparator: (chars, sep) => chars.join(`%${hex(sep).padStart(2, '0')}`),
  percentEvery: (chars, sep) => chars.map((c) => `%${hex(c).padStart(2, '0')}`).join(`%${hex(sep).padStart(2, '0')}`),
  quotedPrintable: (chars, sep) => chars.join(`=${hex(sep).toUpperCase().padStart(2, '0')}`),
  fullwidth: (chars, sep) =>
    chars
      .map((c) => (c > ' ' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c))
      .join(sep > ' ' ? String.fromCodePoint(sep.codePointAt(0)! + 0xfee0) : '\u3000'),
  zeroWidth: (chars, sep) => chars.join(`\u200b${sep}`),
  combining: (chars, sep) => chars.map((c) => `${c}\u0301`).join(sep),
};

/** Every string the logs request carries (body, attributes, scope), then every metric attribute value and name. */
async function exported(text: string): Promise<string[]> {
  loggerProvider.getLogger('attack').emit({ body: text, attributes: { 'error.type': text } });
  counter.add(1, { 'error.type': text });
  await reader.forceFlush();
  const out: string[] = [];
  JSON.parse(exportedJson().split('\n')[1], (key, value: unknown) => {
    if (typeof value === 'string') out.push(value);
    return value;
  });
  for (const rm of metricExporter.getMetrics())
    for (const sm of rm.scopeMetrics)
      for (const m of sm.metrics)
        for (const p of m.dataPoints) for (const v of Object.values(p.attributes)) out.push(String(v));
  metricExporter.reset();
  return out;
}

describe('characters one separator apart inside escapes and compatibility forms (default policy)', () => {
  it('no exported log body, log attribute or metric attribute keeps the composed writing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...canaries),
        fc.constantFrom('.', ' ', '_', '-', '/', '|', '*'),
        fc.constantFrom(...Object.keys(encodings)),
        async (canary, sep, encoding) => {
          const text = encodings[encoding]([...canary], sep);
          const out = await exported(text);
          expect(out, `${encoding} ${JSON.stringify(sep)} ${canary}: ${text}`).not.toContain(text);
          // The log body, the log attribute and the metric attribute each carry a mask (or the metric point is gone).
          expect(out.filter((s) => s.includes('[REDACTED:')).length).toBeGreaterThanOrEqual(2);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('ordinary escaped and fullwidth text is exported as written', async () => {
    for (const text of ['v&#32;1&#32;2', '１ ２ ３', 'a&#46;b&#46;c', 'ｈｅｌｌｏ ｗｏｒｌｄ', 'id=%20%31%20%32']) {
      const out = await exported(text);
      expect(out).toContain(text);
    }
  });
});
