import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_OPTED_OUT_VALUES } from '../../../engine/consent/opted-out-values';
import { PrivacyMetricExporter, loadPolicy, withConsentSubject } from '../../../index';
import { privacyPipelines } from '../../assurance/helpers/outside-attack';
import { fakeHmacKey, fakeIds, pseudonymOf, tempDir, writeOptOut } from './consent-kit';

// The values found opted out (raw ids and their pseudonyms) are what a metric point's free text is checked against.
// They are bounded (the oldest forgotten first); a subject seen again after its values were forgotten must bring back
// its pseudonym too, also when the opt-out decision for its raw id comes from the decision cache.

const KEY = fakeHmacKey('consent-seen-pseudonym');
const SUBJECT = 'fake-user-seen-1';
/** Enough other opted-out subjects (each noted raw and hashed) to push the first subject's values out. */
const OTHERS = fakeIds('fake-user-crowd', MAX_OPTED_OUT_VALUES / 2 + 10);
process.env.CONSENT_SEEN_PSEUDONYM_HMAC = KEY;
const dir = tempDir();
writeOptOut(join(dir, 'optout.bloom'), KEY, [SUBJECT, ...OTHERS], 0.000001);
writeFileSync(
  join(dir, 'policy.yaml'),
  `version: 1
keys:
  hmac: { id: k1, env: CONSENT_SEEN_PSEUDONYM_HMAC }
attributes:
  hash: [user.id]
  allow: [app.note]
consent:
  subject: { attributes: [user.id], context: true }
  optOut: { file: optout.bloom, falsePositiveRate: 0.000001 }
  action: minimize
`,
);
const p = loadPolicy(join(dir, 'policy.yaml'));
const { tracerProvider } = privacyPipelines(p);
afterAll(() => {
  delete process.env.CONSENT_SEEN_PSEUDONYM_HMAC;
  rmSync(dir, { recursive: true, force: true });
});

describe('consent: an opted-out subject seen again after its values were forgotten', () => {
  it('a metric point naming it by its pseudonym in free text is masked (no views)', async () => {
    const tracer = tracerProvider.getTracer('seen');
    const request = (id: string) => tracer.startSpan('GET /orders', {}, withConsentSubject(ROOT_CONTEXT, id)).end();
    request(SUBJECT);
    for (const id of OTHERS) request(id);
    // the subject again: its raw id's decision is cached by now
    request(SUBJECT);

    const metrics = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const reader = new PeriodicExportingMetricReader({
      exporter: new PrivacyMetricExporter({ policy: p, exporter: metrics }),
      exportIntervalMillis: 3_600_000,
    });
    const metering = new MeterProvider({ readers: [reader] });
    const pseudonym = pseudonymOf(KEY, SUBJECT);
    const counter = metering.getMeter('seen').createCounter('fake.cache.hits');
    counter.add(1, { 'app.note': `cache user:${pseudonym}` });
    counter.add(1, { 'app.note': `cache user:${SUBJECT}` });
    await metering.forceFlush();
    const text = JSON.stringify(
      metrics
        .getMetrics()
        .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => m.dataPoints.map((d) => d.attributes)))),
    );
    expect(text).not.toContain(SUBJECT);
    expect(text).not.toContain(pseudonym);
    expect(text).toContain('cache user:');
    await metering.shutdown();
  });
});
