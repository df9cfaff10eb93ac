import { createHmac } from 'node:crypto';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  InMemoryMetricExporter,
  InstrumentType,
  MeterProvider,
  MetricReader,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { DataPoint, Histogram, MetricData, ViewOptions } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definePolicy } from '../../../index';
import type { Policy } from '../../../index';
import { privacyAttributesProcessor, privacyViews } from '../../../processors/metrics/privacy-views';

const KEY_A = 'fake-hmac-key-A-for-tests-0123456789abcdef';

beforeEach(() => {
  process.env.TEST_METRICS_HMAC = KEY_A;
});
afterEach(() => {
  delete process.env.TEST_METRICS_HMAC;
});

const pseudonym = (v: string) =>
  `k1:${createHmac('sha256', KEY_A).update(v).digest().subarray(0, 16).toString('base64url')}`;

type Doc = Parameters<typeof definePolicy>[0];

function makePolicy(extra: Partial<Doc> = {}): Policy {
  return definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: 'TEST_METRICS_HMAC' } },
    attributes: { allow: ['http.route', 'http.request.method'], hash: ['user.id'], drop: ['*password*'] },
    metrics: { attributes: { allow: ['fake.tier'], drop: ['http.request.method'] } },
    ...extra,
  });
}

/** A pull reader, like Prometheus: collects on demand. */
class PullReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

function pipeline(policy: Policy, views: ViewOptions[] = privacyViews(policy)) {
  const reader = new PullReader();
  const provider = new MeterProvider({ views, readers: [reader] });
  const meter = provider.getMeter('fake-meter');
  const metrics = async (): Promise<Map<string, MetricData>> => {
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    return new Map(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).map((m) => [m.descriptor.name, m]));
  };
  return { provider, meter, metrics };
}

const points = (m: MetricData | undefined) => (m?.dataPoints ?? []) as DataPoint<unknown>[];
const series = (m: MetricData | undefined) =>
  points(m)
    .map((p) => ({ attributes: p.attributes, value: p.value }))
    .sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));

describe('privacyViews: before aggregation', () => {
  it('returns one view per instrument type (no instrument matches two views)', () => {
    const views = privacyViews(makePolicy());
    expect(views.map((v) => v.instrumentType).sort()).toEqual(Object.values(InstrumentType).sort());
    for (const v of views) expect(v.attributesProcessors).toHaveLength(1);
  });

  it('disallowed keys never become series; a dropped key merges series so sums add up', async () => {
    const { meter, metrics, provider } = pipeline(makePolicy());
    const c = meter.createCounter('fake.requests');
    c.add(1, { 'http.route': '/a', 'http.request.method': 'GET', 'db.password': 'hunter2', 'app.note': 'fake' });
    c.add(2, { 'http.route': '/a', 'http.request.method': 'POST' });
    c.add(4, { 'http.route': '/b', 'fake.tier': 'gold' });
    const m = (await metrics()).get('fake.requests');
    expect(m?.dataPointType).toBe(DataPointType.SUM);
    expect(series(m)).toEqual([
      { attributes: { 'http.route': '/a' }, value: 3 },
      { attributes: { 'http.route': '/b', 'fake.tier': 'gold' }, value: 4 },
    ]);
    await provider.shutdown();
  });

  it('hashed values aggregate under their pseudonym; different raw ids stay separate series', async () => {
    const { meter, metrics, provider } = pipeline(makePolicy());
    const c = meter.createUpDownCounter('fake.sessions');
    c.add(1, { 'user.id': 'fake-user-1' });
    c.add(1, { 'user.id': 'fake-user-1' });
    c.add(5, { 'user.id': 'fake-user-2' });
    c.add(-1, { 'user.id': 'fake-user-2', 'app.note': 'x' });
    const got = series((await metrics()).get('fake.sessions'));
    expect(got).toEqual(
      [
        { attributes: { 'user.id': pseudonym('fake-user-1') }, value: 2 },
        { attributes: { 'user.id': pseudonym('fake-user-2') }, value: 4 },
      ].sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes))),
    );
    expect(JSON.stringify(got)).not.toContain('fake-user-');
    await provider.shutdown();
  });

  it('histograms merge after redaction (count, sum and buckets)', async () => {
    const { meter, metrics, provider } = pipeline(makePolicy());
    const h = meter.createHistogram('fake.latency');
    h.record(3, { 'http.route': '/a', 'user.email': 'fake.person@example.com' });
    h.record(30, { 'http.route': '/a', 'user.email': 'other.fake@example.com' });
    const m = (await metrics()).get('fake.latency');
    expect(m?.dataPointType).toBe(DataPointType.HISTOGRAM);
    const [p, ...rest] = points(m) as DataPoint<Histogram>[];
    expect(rest).toEqual([]);
    expect(p.attributes).toEqual({ 'http.route': '/a' });
    expect(p.value.count).toBe(2);
    expect(p.value.sum).toBe(33);
    expect(p.value.buckets.counts.reduce((a, b) => a + b, 0)).toBe(2);
    await provider.shutdown();
  });

  it('gauges and observable instruments get the same attribute decisions', async () => {
    const { meter, metrics, provider } = pipeline(makePolicy());
    meter.createGauge('fake.temperature').record(21, { 'http.route': '/a', 'user.id': 'fake-user-1', 'app.note': 'x' });
    meter
      .createObservableGauge('fake.queue')
      .addCallback((r) => r.observe(7, { 'fake.tier': 'gold', 'db.password': 'hunter2' }));
    meter.createObservableCounter('fake.bytes').addCallback((r) => r.observe(10, { 'user.id': 'fake-user-1' }));
    const all = await metrics();
    expect(series(all.get('fake.temperature'))).toEqual([
      { attributes: { 'http.route': '/a', 'user.id': pseudonym('fake-user-1') }, value: 21 },
    ]);
    expect(series(all.get('fake.queue'))).toEqual([{ attributes: { 'fake.tier': 'gold' }, value: 7 }]);
    expect(series(all.get('fake.bytes'))).toEqual([{ attributes: { 'user.id': pseudonym('fake-user-1') }, value: 10 }]);
    await provider.shutdown();
  });

  it('SDK behaviour: observations of one callback that collide after redaction keep the last value, not the sum', async () => {
    const { meter, metrics, provider } = pipeline(makePolicy());
    meter.createObservableCounter('fake.observed').addCallback((r) => {
      r.observe(10, { 'http.route': '/a', 'app.note': 'one' });
      r.observe(5, { 'http.route': '/a', 'app.note': 'two' });
    });
    expect(series((await metrics()).get('fake.observed'))).toEqual([{ attributes: { 'http.route': '/a' }, value: 5 }]);
    await provider.shutdown();
  });

  it('applies metrics.cardinalityLimit per instrument type (default for the others)', async () => {
    const views = privacyViews(
      makePolicy({ metrics: { attributes: { allow: ['fake.n'] }, cardinalityLimit: { counter: 3, default: 50 } } }),
    );
    expect(views.find((v) => v.instrumentType === InstrumentType.COUNTER)?.aggregationCardinalityLimit).toBe(3);
    expect(views.find((v) => v.instrumentType === InstrumentType.HISTOGRAM)?.aggregationCardinalityLimit).toBe(50);
    expect(
      privacyViews(makePolicy({ metrics: { cardinalityLimit: 9 } })).every((v) => v.aggregationCardinalityLimit === 9),
    ).toBe(true);
    expect(privacyViews(makePolicy()).every((v) => v.aggregationCardinalityLimit === undefined)).toBe(true);
    const { meter, metrics, provider } = pipeline(makePolicy(), views);
    const c = meter.createCounter('fake.limited');
    for (let i = 0; i < 10; i++) c.add(1, { 'fake.n': String(i) });
    const got = points((await metrics()).get('fake.limited'));
    expect(got).toHaveLength(3);
    expect(got.reduce((a, p) => a + (p.value as number), 0)).toBe(10);
    await provider.shutdown();
  });

  it('per-type overrides (e.g. exponential histograms) keep the privacy processor', async () => {
    const policy = makePolicy();
    const views = privacyViews(policy, {
      [InstrumentType.HISTOGRAM]: { aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
    });
    const { meter, metrics, provider } = pipeline(policy, views);
    meter.createHistogram('fake.exp').record(4, { 'http.route': '/a', 'user.email': 'fake.person@example.com' });
    const m = (await metrics()).get('fake.exp');
    expect(m?.dataPointType).toBe(DataPointType.EXPONENTIAL_HISTOGRAM);
    expect(points(m).map((p) => p.attributes)).toEqual([{ 'http.route': '/a' }]);
    await provider.shutdown();
  });

  it('works with a push reader and the in-memory exporter', async () => {
    const policy = makePolicy();
    const exporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
    provider
      .getMeter('fake-meter')
      .createCounter('fake.pushed')
      .add(2, { 'user.id': 'fake-user-3', 'user.email': 'fake.person@example.com' });
    await provider.forceFlush();
    const pts = exporter
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.flatMap((m) => points(m))));
    expect(pts.map((p) => [p.attributes, p.value])).toEqual([[{ 'user.id': pseudonym('fake-user-3') }, 2]]);
    await provider.shutdown();
  });
});

describe('privacyAttributesProcessor', () => {
  it('fails closed: a throwing sanitize yields no attributes and is counted', () => {
    const policy = makePolicy();
    const p = privacyAttributesProcessor(policy);
    const hostile = Object.defineProperty({}, 'http.route', {
      enumerable: true,
      get: () => {
        throw new Error('fake failure');
      },
    });
    expect(p.process(hostile)).toEqual({});
    expect(policy.counters.dropped.metrics.failed).toBe(1);
    expect(p.process({ 'http.route': '/a', 'user.email': 'fake.person@example.com' })).toEqual({ 'http.route': '/a' });
  });

  it('requires a policy', () => {
    expect(() => privacyViews(undefined as unknown as Policy)).toThrow(/policy is required/);
    expect(() => privacyAttributesProcessor(undefined as unknown as Policy)).toThrow(/policy is required/);
  });
});
