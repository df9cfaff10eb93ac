import { ValueType } from '@opentelemetry/api';
import type { Attributes, HrTime } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  InMemoryMetricExporter,
  InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type {
  DataPoint,
  ExponentialHistogram,
  Histogram,
  MetricData,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POLICY_HASH_ATTRIBUTE } from '../../../index';
import { PrivacyMetricExporter } from '../../../processors/metrics/privacy-metric-exporter';
import { privacyViews } from '../../../processors/metrics/privacy-views';
import {
  TestMetricExporter,
  makePolicy,
  metricOf,
  pipeline,
  pointsOf,
  pseudonym,
  rawResource,
  series,
} from './metric-test-kit';

const DEFAULT_BOUNDARIES = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
const bucketCounts = (...values: number[]) => {
  const counts = new Array<number>(DEFAULT_BOUNDARIES.length + 1).fill(0);
  for (const v of values) {
    const i = DEFAULT_BOUNDARIES.findIndex((b) => v <= b);
    counts[i === -1 ? DEFAULT_BOUNDARIES.length : i]!++;
  }
  return counts;
};

/** Exports one hand-built ResourceMetrics through the wrapper; returns what the inner exporter got. */
function exportOnce(
  exporter: PrivacyMetricExporter,
  inner: InMemoryMetricExporter,
  rm: ResourceMetrics,
): Promise<{ result: ExportResult; out: ResourceMetrics | undefined }> {
  return new Promise((resolve) => exporter.export(rm, (result) => resolve({ result, out: inner.getMetrics().at(-1) })));
}

// seconds after a real time (a time before 2000 would be exported as the clock: see engine/plausible-time.ts)
const t = (s: number): HrTime => [1_700_000_000 + s, 0];
const point = <T>(attributes: Attributes, value: T, end = 100, start = 10): DataPoint<T> => ({
  startTime: t(start),
  endTime: t(end),
  attributes,
  value,
});
const descriptor = (name: string, valueType = ValueType.INT) => ({ name, description: '', unit: '', valueType });
const handBuilt = (...metrics: MetricData[]): ResourceMetrics => ({
  resource: rawResource(),
  scopeMetrics: [{ scope: { name: 'fake-hand' }, metrics }],
});

describe('PrivacyMetricExporter: exact points after redaction', () => {
  it('sanitizes the resource once per resource object and point attributes by the meter scope rules (no views)', async () => {
    const policy = makePolicy({ scopes: { 'fake-billing': { attributes: { drop: ['fake.tier'] } } } });
    const { meter, collect, provider } = pipeline(policy);
    for (const name of ['fake-shop', 'fake-billing']) {
      meter(name).createCounter('fake.orders').add(2, {
        'http.route': '/cart',
        'user.id': 'fake-user-1',
        'fake.tier': 'gold',
        'db.password': 'hunter2',
        'app.note': 'fake',
      });
    }
    const first = await collect();
    expect(first.resource.attributes).toEqual({ 'service.name': 'fake-shop', [POLICY_HASH_ATTRIBUTE]: policy.hash });
    expect(series(metricOf(first, 'fake.orders', 'fake-shop'))).toEqual([
      { attributes: { 'http.route': '/cart', 'user.id': pseudonym('fake-user-1'), 'fake.tier': 'gold' }, value: 2 },
    ]);
    expect(series(metricOf(first, 'fake.orders', 'fake-billing'))).toEqual([
      { attributes: { 'http.route': '/cart', 'user.id': pseudonym('fake-user-1') }, value: 2 },
    ]);
    const second = await collect();
    expect(second.resource).toBe(first.resource);
    expect(JSON.stringify([first.scopeMetrics, second.scopeMetrics])).not.toMatch(
      /fake-user-1|hunter2|fake-host|example\.com/,
    );
    await provider.shutdown();
  });

  it('with privacyViews: pseudonyms are not hashed twice; scope blocks still apply at export', async () => {
    const policy = makePolicy({ scopes: { 'fake-billing': { attributes: { hash: ['fake.tier'] } } } });
    const { meter, collect, provider } = pipeline(policy, { views: privacyViews(policy) });
    for (const name of ['fake-shop', 'fake-billing'])
      meter(name)
        .createCounter('fake.orders')
        .add(1, { 'user.id': 'fake-user-1', 'fake.tier': 'gold', 'app.note': 'x' });
    const rm = await collect();
    expect(series(metricOf(rm, 'fake.orders', 'fake-shop'))).toEqual([
      { attributes: { 'user.id': pseudonym('fake-user-1'), 'fake.tier': 'gold' }, value: 1 },
    ]);
    expect(series(metricOf(rm, 'fake.orders', 'fake-billing'))).toEqual([
      { attributes: { 'user.id': pseudonym('fake-user-1'), 'fake.tier': pseudonym('gold') }, value: 1 },
    ]);
    await provider.shutdown();
  });

  it('keeps the SDK overflow series (cardinality limit from the policy) instead of merging it away', async () => {
    const policy = makePolicy({ metrics: { attributes: { allow: ['fake.tier'] }, cardinalityLimit: { counter: 3 } } });
    const { meter, collect, provider } = pipeline(policy);
    const c = meter().createCounter('fake.orders');
    for (const [i, tier] of ['a', 'b', 'c', 'd', 'e'].entries()) c.add(i + 1, { 'fake.tier': tier });
    const got = series(metricOf(await collect(), 'fake.orders'));
    expect(got).toEqual([
      { attributes: { 'fake.tier': 'a' }, value: 1 },
      { attributes: { 'fake.tier': 'b' }, value: 2 },
      { attributes: { 'otel.metric.overflow': true }, value: 12 },
    ]);
    await provider.shutdown();
  });
});

describe.each([
  ['DELTA', AggregationTemporality.DELTA],
  ['CUMULATIVE', AggregationTemporality.CUMULATIVE],
])('PrivacyMetricExporter: series colliding after redaction are merged (%s)', (_name, temporality) => {
  const cumulative = temporality === AggregationTemporality.CUMULATIVE;

  it('counter: sums add, monotonic, one point per series', async () => {
    const { meter, collect, provider } = pipeline(makePolicy(), { temporality });
    const c = meter().createCounter('fake.requests');
    c.add(1, { 'http.route': '/a', 'user.email': 'a.fake@example.com' });
    c.add(2, { 'http.route': '/a', 'user.email': 'b.fake@example.com' });
    c.add(4, { 'http.route': '/b' });
    const m1 = metricOf(await collect(), 'fake.requests');
    expect(m1?.dataPointType).toBe(DataPointType.SUM);
    expect(m1?.aggregationTemporality).toBe(temporality);
    expect(m1?.dataPointType === DataPointType.SUM && m1.isMonotonic).toBe(true);
    expect(series(m1)).toEqual([
      { attributes: { 'http.route': '/a' }, value: 3 },
      { attributes: { 'http.route': '/b' }, value: 4 },
    ]);
    c.add(10, { 'http.route': '/a', 'user.email': 'c.fake@example.com' });
    const m2 = metricOf(await collect(), 'fake.requests');
    expect(series(m2)).toEqual(
      cumulative
        ? [
            { attributes: { 'http.route': '/a' }, value: 13 },
            { attributes: { 'http.route': '/b' }, value: 4 },
          ]
        : [{ attributes: { 'http.route': '/a' }, value: 10 }],
    );
    await provider.shutdown();
  });

  it('up-down counter: signed sums add', async () => {
    const { meter, collect, provider } = pipeline(makePolicy(), { temporality });
    const c = meter().createUpDownCounter('fake.sessions');
    c.add(5, { 'user.email': 'a.fake@example.com' });
    c.add(-2, { 'user.email': 'b.fake@example.com' });
    const m1 = metricOf(await collect(), 'fake.sessions');
    expect(m1?.dataPointType === DataPointType.SUM && m1.isMonotonic).toBe(false);
    expect(series(m1)).toEqual([{ attributes: {}, value: 3 }]);
    c.add(-4, { 'user.email': 'c.fake@example.com' });
    expect(series(metricOf(await collect(), 'fake.sessions'))).toEqual([
      { attributes: {}, value: cumulative ? -1 : -4 },
    ]);
    await provider.shutdown();
  });

  it('histogram: bucket-wise, count, sum, min, max', async () => {
    const { meter, collect, provider } = pipeline(makePolicy(), { temporality });
    const h = meter().createHistogram('fake.latency');
    h.record(3, { 'http.route': '/a', 'user.email': 'a.fake@example.com' });
    h.record(30, { 'http.route': '/a', 'user.email': 'b.fake@example.com' });
    h.record(700, { 'http.route': '/a' });
    const [p1, ...rest] = pointsOf<Histogram>(metricOf(await collect(), 'fake.latency'));
    expect(rest).toEqual([]);
    expect(p1!.attributes).toEqual({ 'http.route': '/a' });
    expect(p1!.value).toEqual({
      buckets: { boundaries: DEFAULT_BOUNDARIES, counts: bucketCounts(3, 30, 700) },
      count: 3,
      sum: 733,
      min: 3,
      max: 700,
    });
    h.record(1, { 'http.route': '/a', 'user.email': 'c.fake@example.com' });
    const [p2] = pointsOf<Histogram>(metricOf(await collect(), 'fake.latency'));
    expect(p2!.value).toEqual(
      cumulative
        ? {
            buckets: { boundaries: DEFAULT_BOUNDARIES, counts: bucketCounts(3, 30, 700, 1) },
            count: 4,
            sum: 734,
            min: 1,
            max: 700,
          }
        : { buckets: { boundaries: DEFAULT_BOUNDARIES, counts: bucketCounts(1) }, count: 1, sum: 1, min: 1, max: 1 },
    );
    await provider.shutdown();
  });

  it('exponential histogram: scales aligned; equals the SDK aggregating all values in one series', async () => {
    const values = [[0.5, 1, 2, 900, 1000], [3], [0, -4]] as const;
    const { meter, collect, provider } = pipeline(makePolicy(), { temporality, exponential: true });
    const h = meter().createHistogram('fake.size');
    values.forEach((vs, i) => vs.forEach((v) => h.record(v, { 'user.email': `u${i}.fake@example.com` })));
    const rm = await collect();
    // Reference: the SDK itself, every value in one series.
    const ref = pipeline(makePolicy(), { temporality, exponential: true });
    const rh = ref.meter().createHistogram('fake.size');
    values.flat().forEach((v) => rh.record(v));
    const expected = pointsOf<ExponentialHistogram>(metricOf(await ref.collect(), 'fake.size'));
    const got = pointsOf<ExponentialHistogram>(metricOf(rm, 'fake.size'));
    expect(metricOf(rm, 'fake.size')?.dataPointType).toBe(DataPointType.EXPONENTIAL_HISTOGRAM);
    expect(got).toHaveLength(1);
    expect(got[0]!.attributes).toEqual({});
    expect(got[0]!.value).toEqual(expected[0]!.value);
    // The inputs really were at different scales (so alignment was exercised).
    expect(got[0]!.value.scale).toBeLessThan(20);
    await provider.shutdown();
    await ref.provider.shutdown();
  });

  it('gauge and observable gauge: the latest point is kept', async () => {
    const { meter, collect, provider } = pipeline(makePolicy(), { temporality });
    const g = meter().createGauge('fake.temperature');
    g.record(7, { 'user.email': 'a.fake@example.com' });
    g.record(9, { 'user.email': 'b.fake@example.com' });
    meter()
      .createObservableGauge('fake.queue')
      .addCallback((r) => {
        r.observe(3, { 'fake.tier': 'gold', 'user.email': 'a.fake@example.com' });
        r.observe(5, { 'fake.tier': 'gold', 'user.email': 'b.fake@example.com' });
      });
    const rm = await collect();
    expect(series(metricOf(rm, 'fake.temperature'))).toEqual([{ attributes: {}, value: 9 }]);
    expect(series(metricOf(rm, 'fake.queue'))).toEqual([{ attributes: { 'fake.tier': 'gold' }, value: 5 }]);
    await provider.shutdown();
  });
});

describe('PrivacyMetricExporter: merge rules on hand-built exports', () => {
  const setup = (policy = makePolicy()) => {
    const inner = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    return { inner, exporter: new PrivacyMetricExporter({ policy, exporter: inner }), policy };
  };

  it('gauge: keeps the point with the latest endTime, whatever the order', async () => {
    const { inner, exporter } = setup();
    const gauge: MetricData = {
      descriptor: descriptor('fake.gauge'),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.GAUGE,
      dataPoints: [
        point({ 'user.email': 'a.fake@example.com' }, 1, 200),
        point({ 'user.email': 'b.fake@example.com' }, 2, 100),
      ],
    };
    const { out } = await exportOnce(exporter, inner, handBuilt(gauge));
    expect(series(metricOf(out!, 'fake.gauge'))).toEqual([{ attributes: {}, value: 1 }]);
  });

  it('cumulative sums: the merged series starts at the earliest start', async () => {
    const { inner, exporter } = setup();
    const sum: MetricData = {
      descriptor: descriptor('fake.sum'),
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: [
        point({ 'user.email': 'a.fake@example.com' }, 1, 100, 50),
        point({ 'user.email': 'b.fake@example.com' }, 2, 120, 20),
      ],
    };
    const { out } = await exportOnce(exporter, inner, handBuilt(sum));
    expect(pointsOf(metricOf(out!, 'fake.sum'))).toEqual([
      { startTime: t(20), endTime: t(120), attributes: {}, value: 3 },
    ]);
  });

  it('property: merged sums and histograms span the earliest start to the latest end, whichever point comes first', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 90 })),
        fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 })),
        fc.boolean().map((hist) => (hist ? DataPointType.HISTOGRAM : DataPointType.SUM)),
        async ([startA, startB], [lenA, lenB], type) => {
          const { inner, exporter } = setup();
          const value = (n: number) =>
            type === DataPointType.SUM
              ? n
              : { buckets: { boundaries: [0, 10], counts: [0, n, 0] }, count: n, sum: 5 * n, min: 5, max: 5 };
          const metric = {
            descriptor: descriptor('fake.merged'),
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPointType: type,
            isMonotonic: true,
            dataPoints: [
              point({ 'user.email': 'a.fake@example.com' }, value(1), startA + lenA, startA),
              point({ 'user.email': 'b.fake@example.com' }, value(2), startB + lenB, startB),
            ],
          } as MetricData;
          const { out } = await exportOnce(exporter, inner, handBuilt(metric));
          const merged = pointsOf(metricOf(out!, 'fake.merged'));
          expect(merged).toHaveLength(1);
          expect(merged[0]!.startTime).toEqual(t(Math.min(startA, startB)));
          expect(merged[0]!.endTime).toEqual(t(Math.max(startA + lenA, startB + lenB)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('histograms with different boundaries are re-bucketed exactly onto the common boundaries (counted)', async () => {
    const { inner, exporter } = setup();
    const a: Histogram = {
      buckets: { boundaries: [0, 5, 10], counts: [1, 2, 3, 4] },
      count: 10,
      sum: 100,
      min: -1,
      max: 40,
    };
    const b: Histogram = {
      buckets: { boundaries: [0, 10, 20], counts: [5, 6, 7, 8] },
      count: 26,
      sum: 300,
      min: -2,
      max: 30,
    };
    const h: MetricData = {
      descriptor: descriptor('fake.hist', ValueType.DOUBLE),
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: [point({ 'user.email': 'a.fake@example.com' }, a), point({ 'user.email': 'b.fake@example.com' }, b)],
    };
    const { out } = await exportOnce(exporter, inner, handBuilt(h));
    // common boundaries [0, 10]: a → (-∞,0]=1, (0,10]=2+3, (10,∞)=4; b → 5, 6, 7+8
    expect(pointsOf<Histogram>(metricOf(out!, 'fake.hist'))[0]!.value).toEqual({
      buckets: { boundaries: [0, 10], counts: [6, 11, 19] },
      count: 36,
      sum: 400,
      min: -2,
      max: 40,
    });
    expect(exporter.stats.rebucketed).toBe(1);
    expect(exporter.stats.merged).toBe(1);
    expect(a.buckets.counts).toEqual([1, 2, 3, 4]); // inputs untouched
  });

  it('exponential histograms at different scales: the finer one is downscaled before adding', async () => {
    const { inner, exporter } = setup();
    // scale 1: buckets 2 and 3; at scale 0 both are bucket 1.
    const a: ExponentialHistogram = {
      count: 4,
      sum: 10,
      scale: 1,
      zeroCount: 1,
      positive: { offset: 2, bucketCounts: [1, 2] },
      negative: { offset: 0, bucketCounts: [] },
      min: 0,
      max: 3.9,
    };
    const b: ExponentialHistogram = {
      count: 4,
      sum: 9,
      scale: 0,
      zeroCount: 0,
      positive: { offset: 1, bucketCounts: [3] },
      negative: { offset: -1, bucketCounts: [1] },
      min: -0.6,
      max: 3.5,
    };
    const h: MetricData = {
      descriptor: descriptor('fake.exp', ValueType.DOUBLE),
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
      dataPoints: [point({ 'user.email': 'a.fake@example.com' }, a), point({ 'user.email': 'b.fake@example.com' }, b)],
    };
    const { out } = await exportOnce(exporter, inner, handBuilt(h));
    expect(pointsOf<ExponentialHistogram>(metricOf(out!, 'fake.exp'))[0]!.value).toEqual({
      count: 8,
      sum: 19,
      scale: 0,
      zeroCount: 1,
      positive: { offset: 1, bucketCounts: [6] },
      negative: { offset: -1, bucketCounts: [1] },
      min: -0.6,
      max: 3.9,
    });
  });

  it('fails closed per metric: a metric that throws is dropped and counted, the rest is exported', async () => {
    const { inner, exporter, policy } = setup();
    const hostile = new Proxy({} as Attributes, {
      ownKeys() {
        throw new Error('fake hostile attributes');
      },
    });
    const bad: MetricData = {
      descriptor: descriptor('fake.bad'),
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: [point(hostile, 1)],
    };
    const good: MetricData = {
      descriptor: descriptor('fake.good'),
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: [point({ 'http.route': '/a' }, 2)],
    };
    const { result, out } = await exportOnce(exporter, inner, handBuilt(bad, good));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(out!.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name))).toEqual(['fake.good']);
    expect(policy.counters.dropped.metrics.failed).toBe(1);
    expect(exporter.stats.failedMetrics).toBe(1);
  });
});

describe('PrivacyMetricExporter: descriptor fields passed on', () => {
  const gauge = (d: object): MetricData => ({
    descriptor: d as MetricData['descriptor'],
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: [point({}, 1)],
  });

  it('a descriptor field the SDK does not define (a later SDK, a hand-built export) is not passed on', async () => {
    const inner = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const exporter = new PrivacyMetricExporter({ policy: makePolicy(), exporter: inner });
    const extras = {
      note: 'jane.doe@example.com',
      hint: { owner: 'jane.doe@example.com' },
      type: 'COUNTER jane.doe@example.com',
      valueType: 'jane.doe@example.com',
      advice: { explicitBucketBoundaries: [4111111111111111] },
    };
    for (const [key, value] of Object.entries(extras)) {
      const { out } = await exportOnce(
        exporter,
        inner,
        handBuilt(gauge({ ...descriptor('fake.gauge'), [key]: value })),
      );
      const d = metricOf(out!, 'fake.gauge')!.descriptor as unknown as Record<string, unknown>;
      expect(JSON.stringify(d), key).not.toMatch(/jane|4111/);
      expect(d['name'], key).toBe('fake.gauge');
    }
  });

  it("the SDK's own fields are kept: name, description, unit, value type, instrument type, an empty advice", async () => {
    const inner = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const exporter = new PrivacyMetricExporter({ policy: makePolicy(), exporter: inner });
    const sdk = { ...descriptor('fake.gauge', ValueType.DOUBLE), unit: 'ms', type: 'GAUGE', advice: {} };
    const { out } = await exportOnce(exporter, inner, handBuilt(gauge(sdk)));
    expect(metricOf(out!, 'fake.gauge')!.descriptor).toEqual(sdk);
    // with the application's advice: the same fields, the advice emptied
    const advised = { ...sdk, advice: { explicitBucketBoundaries: [1, 10] } };
    const again = await exportOnce(exporter, inner, handBuilt(gauge(advised)));
    expect(metricOf(again.out!, 'fake.gauge')!.descriptor).toEqual(sdk);
  });
});

describe('PrivacyMetricExporter: pass-through', () => {
  it("selectAggregation / selectAggregationTemporality are the wrapped exporter's (absent when it has none)", () => {
    const policy = makePolicy();
    const withBoth = new PrivacyMetricExporter({
      policy,
      exporter: new TestMetricExporter(AggregationTemporality.DELTA, true),
    });
    expect(withBoth.selectAggregationTemporality?.(InstrumentType.COUNTER)).toBe(AggregationTemporality.DELTA);
    expect(withBoth.selectAggregation?.(InstrumentType.HISTOGRAM)).toEqual({
      type: AggregationType.EXPONENTIAL_HISTOGRAM,
    });
    const plain = new PrivacyMetricExporter({
      policy,
      exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    });
    expect(plain.selectAggregation).toBeUndefined();
    expect(plain.selectAggregationTemporality?.(InstrumentType.COUNTER)).toBe(AggregationTemporality.CUMULATIVE);
  });

  it("works under the SDK's own PeriodicExportingMetricReader (temporality honoured) and forwards shutdown", async () => {
    const inner = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const exporter = new PrivacyMetricExporter({ policy: makePolicy(), exporter: inner });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'fake-shop' }),
      readers: [reader],
    });
    const c = provider.getMeter('fake-shop').createCounter('fake.n');
    c.add(1, { 'user.email': 'a.fake@example.com' });
    await reader.forceFlush();
    c.add(1, { 'user.email': 'a.fake@example.com' });
    await reader.forceFlush();
    const values = inner.getMetrics().map((rm) => series(metricOf(rm, 'fake.n')));
    expect(values).toEqual([[{ attributes: {}, value: 1 }], [{ attributes: {}, value: 1 }]]);
    await provider.shutdown();
    const result = await new Promise<ExportResult>((resolve) => exporter.export(handBuilt(), resolve));
    expect(result.code).toBe(ExportResultCode.FAILED); // the wrapped exporter is shut down
  });

  it('rejects missing options with a clear message', () => {
    expect(
      () =>
        new PrivacyMetricExporter({
          policy: undefined as never,
          exporter: new InMemoryMetricExporter(AggregationTemporality.DELTA),
        }),
    ).toThrow(/options\.policy is required/);
    expect(() => new PrivacyMetricExporter({ policy: makePolicy(), exporter: {} as never })).toThrow(
      /options\.exporter must be a PushMetricExporter/,
    );
  });
});
