import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PrivacyMetricExporter,
  PrivacySpanProcessor,
  loadPolicy,
  privacyViews,
  watchOptOut,
  withConsentSubject,
} from '../../../index';
import type { Policy } from '../../../index';
import { fakeHmacKey, notReported, tempDir, writeOptOut } from './consent-kit';

// Metric data points whose free text names an opted-out subject, through real providers, with and without the
// privacy views. Without views the SDK aggregates before anything of the policy runs and keeps no context: a
// measurement whose subject is only in its context (withConsentSubject, baggage, the request's trace) reaches the
// exporter as a bare attribute set. Whatever the route, nothing of the subject may be exported raw.

const KEY = fakeHmacKey('consent-metrics-text');
const RATE = 0.000001;
const SUBJECT = 'fake-user-13';
let KEPT: string;
let dir: string;

function policy(action: 'drop' | 'minimize'): Policy {
  const path = join(dir, `${action}.yaml`);
  writeFileSync(
    path,
    `version: 1
keys:
  hmac: { id: k1, env: CONSENT_METRICS_TEXT_HMAC }
attributes:
  hash: [user.id]
  allow: [app.note, http.route]
consent:
  subject: { attributes: [user.id], baggage: [app.subject], context: true }
  optOut: { file: optout.bloom, falsePositiveRate: ${RATE} }
  action: ${action}
`,
  );
  return loadPolicy(path);
}

/** A request of `user` named in one way, recording a measurement whose free text names the user. */
type Naming = 'attribute' | 'context' | 'baggage' | 'trace';
const NAMINGS: readonly Naming[] = ['attribute', 'context', 'baggage', 'trace'];

async function run(p: Policy, views: boolean): Promise<Attributes[]> {
  const spans = new InMemorySpanExporter();
  const tracing = new TracerProvider({
    spanProcessors: [new PrivacySpanProcessor({ policy: p, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  const tracer = tracing.getTracer('metrics-text');
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: new PrivacyMetricExporter({ policy: p, exporter: metrics }),
    exportIntervalMillis: 3_600_000,
  });
  const metering = new MeterProvider({ readers: [reader], ...(views ? { views: privacyViews(p) } : {}) });
  const counter = metering.getMeter('metrics-text').createCounter('fake.orders');
  for (const user of [SUBJECT, KEPT])
    for (const naming of NAMINGS) {
      let ctx: Context = context.active();
      if (naming === 'context') ctx = withConsentSubject(ctx, user);
      if (naming === 'baggage')
        ctx = propagation.setBaggage(ctx, propagation.createBaggage({ 'app.subject': { value: user } }));
      // the request span: the subject on it (trace), or only in the context it starts in
      const span = tracer.startSpan('GET /orders', { attributes: naming === 'trace' ? { 'user.id': user } : {} }, ctx);
      context.with(trace.setSpan(ctx, span), () => {
        const attrs: Attributes = { 'app.note': `order of ${user} (${naming})`, 'http.route': `/u/${user}/orders` };
        if (naming === 'attribute') attrs['user.id'] = user;
        counter.add(1, attrs);
      });
      span.end();
    }
  await metering.forceFlush();
  const points = metrics
    .getMetrics()
    .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => m.dataPoints as DataPoint<number>[])));
  await Promise.all([tracing.shutdown(), metering.shutdown()]);
  return points.map((pt) => pt.attributes);
}

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  process.env.CONSENT_METRICS_TEXT_HMAC = KEY;
  dir = tempDir();
  const filter = writeOptOut(join(dir, 'optout.bloom'), KEY, [SUBJECT], RATE);
  KEPT = notReported(filter, KEY, 'fake-user-kept')[0];
});
afterAll(() => {
  context.disable();
  delete process.env.CONSENT_METRICS_TEXT_HMAC;
  rmSync(dir, { recursive: true, force: true });
});

describe('consent: metric points naming an opted-out subject in free text', () => {
  for (const views of [true, false])
    it(`minimize, ${views ? 'with' : 'without'} privacyViews: the subject is masked however it was named`, async () => {
      const p = policy('minimize');
      const points = await run(p, views);
      expect(JSON.stringify(points)).not.toContain(SUBJECT);
      const notes = points.map((a) => a['app.note']).sort();
      expect(notes).toEqual(
        [
          ...NAMINGS.map((n) => `order of [REDACTED:subject] (${n})`),
          ...NAMINGS.map((n) => `order of ${KEPT} (${n})`),
        ].sort(),
      );
      expect(points.filter((a) => a['http.route'] === '/u/[REDACTED:subject]/orders')).toHaveLength(4);
    });

  for (const views of [true, false])
    it(`drop, ${views ? 'with' : 'without'} privacyViews: no point of the subject is exported, and each is counted`, async () => {
      const p = policy('drop');
      const points = await run(p, views);
      expect(JSON.stringify(points)).not.toContain(SUBJECT);
      expect(points.map((a) => a['app.note']).sort()).toEqual(NAMINGS.map((n) => `order of ${KEPT} (${n})`).sort());
      // with views each measurement is counted as it is recorded; without, each point at its export
      expect(p.counters.consentSuppressed.metrics).toBe(4);
    });
});

describe('consent: the values found opted out follow the opt-out file', () => {
  it('after a reload without the subject, a new point naming it is exported (no views); one before stays masked', async () => {
    const p = policy('minimize');
    const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({
      exporter: new PrivacyMetricExporter({ policy: p, exporter: metrics }),
      exportIntervalMillis: 3_600_000,
    });
    const metering = new MeterProvider({ readers: [reader] });
    const counter = metering.getMeter('reload').createCounter('fake.reload');
    const notes = async () => {
      await metering.forceFlush();
      const last = metrics.getMetrics().at(-1)!;
      return last.scopeMetrics.flatMap((s) =>
        s.metrics.flatMap((m) => m.dataPoints.map((d) => d.attributes['app.note'])),
      );
    };
    counter.add(1, { 'user.id': SUBJECT });
    counter.add(1, { 'app.note': `first order of ${SUBJECT}` });
    expect(await notes()).toContain('first order of [REDACTED:subject]');
    // the subject opts back in: a filter without it
    writeOptOut(join(dir, 'optout.bloom'), KEY, ['fake-someone-else'], RATE);
    const watcher = watchOptOut(p, {});
    try {
      expect(watcher.check()).toBe('reloaded');
    } finally {
      watcher.close();
    }
    counter.add(1, { 'app.note': `second order of ${SUBJECT}` });
    const after = await notes();
    expect(after).toContain(`second order of ${SUBJECT}`);
    expect(after).toContain('first order of [REDACTED:subject]');
    await metering.shutdown();
    writeOptOut(join(dir, 'optout.bloom'), KEY, [SUBJECT], RATE);
  });
});
