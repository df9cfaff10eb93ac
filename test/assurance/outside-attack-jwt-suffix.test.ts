import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PrivacyMetricReader, defaultPolicy, privacyViews } from '../../index';
import { privacyPipelines } from './helpers/outside-attack';

// An outside tester's suffix operator under the DEFAULT policy, through real SDK providers: a fake signed JWT followed
// by a dot and more characters (`….sig.json`, `….sig.v2`, a metric named `app.<token>.count`). Three parts and a
// fourth that is not empty used to read as no token at all, so the whole token was exported in log bodies, log
// attributes, metric attribute values and metric names.
process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x4b).toString('base64')}`; // fake test key
const policy = defaultPolicy();
const { loggerProvider, exportedJson } = privacyPipelines(policy);
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
const reader = new PrivacyMetricReader({ policy, exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
afterAll(async () => {
  await meterProvider.shutdown();
});

const b64url = (s: string) => Buffer.from(s).toString('base64url');
/** A fake token: a real header, a generated subject, a generated signature (no key signs it). */
const token = fc
  .tuple(fc.stringMatching(/^[a-z]{3,12}$/), fc.uint8Array({ minLength: 16, maxLength: 48 }))
  .map(
    ([sub, sig]) =>
      `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${sub}"}`)}.${Buffer.from(sig).toString('base64url')}`,
  );
/** What follows the signature: a dot and a word, an extension, a version, an index, punctuation. */
const suffix = fc.oneof(
  fc.stringMatching(/^\.[A-Za-z0-9_-]{1,12}$/),
  fc.constantFrom('.json', '.count', '.v2', '.1', '._', '.-x', '.sig2', '.0.1'),
);

/** Every string of the exported logs request and the metric names and attribute values exported since the last call. */
async function exported(write: () => void): Promise<string[]> {
  write();
  await reader.forceFlush();
  const out: string[] = [];
  JSON.parse(exportedJson().split('\n')[1], (key, value: unknown) => {
    if (typeof value === 'string') out.push(value);
    return value;
  });
  for (const rm of metricExporter.getMetrics())
    for (const sm of rm.scopeMetrics)
      for (const m of sm.metrics) {
        out.push(m.descriptor.name);
        for (const p of m.dataPoints) for (const v of Object.values(p.attributes)) out.push(String(v));
      }
  metricExporter.reset();
  return out;
}

describe('a JWT followed by a dot and more characters (default policy)', () => {
  it('no part of the token after its header reaches the exported logs or metrics', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(token, suffix, fc.constantFrom('', 'token ', 'auth='), async (jwt, tail, before) => {
        const text = `${before}${jwt}${tail}`;
        const out = await exported(() => {
          loggerProvider.getLogger('attack').emit({ body: text, attributes: { 'error.type': text } });
          const meter = meterProvider.getMeter('attack');
          meter.createCounter(`app.${jwt}${tail}.n${n++}`).add(1, { 'error.type': text });
        });
        const [, payload, signature] = jwt.split('.');
        const leaked = out.filter((s) => s.includes(signature) || s.includes(payload));
        expect(leaked, text).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it('dotted names that only start like a token stay readable', async () => {
    const out = await exported(() => {
      loggerProvider.getLogger('attack').emit({ body: 'eyJhbGciOi.json' });
    });
    expect(out).toContain('eyJhbGciOi.json');
  });
});
