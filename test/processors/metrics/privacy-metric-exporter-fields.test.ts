import { DiagLogLevel, ValueType, diag } from '@opentelemetry/api';
import type { Attributes, HrTime } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import type { DataPoint, Histogram, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PrivacyMetricExporter } from '../../../processors/metrics/privacy-metric-exporter';
import { makePolicy, metricOf, pipeline, rawResource, series } from './metric-test-kit';

// What `PrivacyMetricExporter` hands the exporter it wraps, field by field: the metric name, description and unit, the
// point times, the numbers (identifier values dropped, scaled identifier digits cut) and the failures it counts. The
// exported `ResourceMetrics` is what is asserted on: from a real `MeterProvider` where the SDK can make the input, from
// hand-built exports where only a metric producer of the application can (times, non-string fields, hostile objects).

const EMAIL = 'jane.doe@example.com';
const CARD = 4111111111111111;

const now = (): number => Math.floor(Date.now() / 1000);
const real = (ago: number): HrTime => [now() - ago, 0];
const nanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

const sumOf = (name: string, points: DataPoint<number>[], extra: Record<string, unknown> = {}): MetricData =>
  ({
    descriptor: { name, description: '', unit: '', valueType: ValueType.DOUBLE, ...extra },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    isMonotonic: false,
    dataPoints: points,
  }) as MetricData;

const pt = <T>(value: T, attributes: Attributes = {}, start = real(60), end = real(1)): DataPoint<T> => ({
  startTime: start,
  endTime: end,
  attributes,
  value,
});

/** The kit's policy with every value detector on (the kit's own has none). */
const allDetectors = (extra: Parameters<typeof makePolicy>[0] = {}) =>
  makePolicy({ ...extra, values: { detectors: 'all', ...(extra.values ?? {}) } });

function setup(extra: Parameters<typeof makePolicy>[0] = {}) {
  const policy = allDetectors(extra);
  const inner = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const exporter = new PrivacyMetricExporter({ policy, exporter: inner });
  const send = (...metrics: MetricData[]) => sendScopes([{ scope: { name: 'fake-hand' }, metrics }]);
  const sendScopes = (scopeMetrics: ResourceMetrics['scopeMetrics']) =>
    new Promise<{ result: ExportResult; out: ResourceMetrics | undefined }>((resolve) => {
      const before = inner.getMetrics().length;
      exporter.export({ resource: rawResource(), scopeMetrics }, (result) =>
        resolve({ result, out: inner.getMetrics().length > before ? inner.getMetrics().at(-1) : undefined }),
      );
    });
  return { policy, inner, exporter, send, sendScopes };
}

/** What the library wrote to the OpenTelemetry diag logger since the test called `captureDiag()`. */
const logged: { level: 'warn' | 'error'; text: string }[] = [];
function captureDiag(): void {
  logged.length = 0;
  diag.setLogger(
    {
      verbose: () => {},
      debug: () => {},
      info: () => {},
      warn: (text: string) => void logged.push({ level: 'warn', text }),
      error: (text: string) => void logged.push({ level: 'error', text }),
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
}
const errors = (): string[] => logged.filter((l) => l.level === 'error').map((l) => l.text);
const warnings = (): string[] => logged.filter((l) => l.level === 'warn').map((l) => l.text);

const names = (rm: ResourceMetrics | undefined): string[] =>
  (rm?.scopeMetrics ?? []).flatMap((s) => s.metrics.map((m) => m.descriptor.name));

describe('PrivacyMetricExporter: the export as a whole', () => {
  it('an export whose structure is unusable is not forwarded: FAILED with the error, counted', async () => {
    captureDiag();
    const { policy, send, sendScopes, inner } = setup();
    const { result, out } = await sendScopes(null as never);
    expect(out).toBeUndefined();
    expect(inner.getMetrics()).toHaveLength(0);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toBeInstanceOf(Error);
    expect(policy.counters.dropped.metrics.failed).toBe(1);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatch(/^otel-privacy: an export was dropped because sanitizing failed/);
    // the next export goes through
    const ok = await send(sumOf('fake.ok', [pt(1)]));
    expect(ok.result.code).toBe(ExportResultCode.SUCCESS);
    expect(names(ok.out)).toEqual(['fake.ok']);
  });

  it('a meter whose scope cannot be sanitized loses its metrics (counted each); other meters are exported', async () => {
    captureDiag();
    const { policy, exporter, sendScopes } = setup();
    const hostile = {
      get name(): string {
        throw new Error('fake hostile scope');
      },
    };
    const { result, out } = await sendScopes([
      { scope: hostile as never, metrics: [sumOf('fake.a', [pt(1)]), sumOf('fake.b', [pt(2)])] },
      { scope: { name: 'fake-good' }, metrics: [sumOf('fake.c', [pt(3)])] },
    ]);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(names(out)).toEqual(['fake.c']);
    expect(exporter.stats.failedMetrics).toBe(2);
    expect(policy.counters.dropped.metrics.failed).toBe(1);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatch(/^otel-privacy: the metrics of a meter were dropped because sanitizing failed/);
  });

  it('a metric whose sanitizing throws is dropped, counted and named in the first error; the others are exported', async () => {
    captureDiag();
    const { policy, exporter, send } = setup();
    const hostile = new Proxy({} as Attributes, {
      ownKeys() {
        throw new Error('fake hostile attributes');
      },
    });
    const { out } = await send(sumOf('fake.bad', [pt(1, hostile)]), sumOf('fake.good', [pt(2)]));
    expect(names(out)).toEqual(['fake.good']);
    expect(exporter.stats.failedMetrics).toBe(1);
    expect(policy.counters.dropped.metrics.failed).toBe(1);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]).toMatch(/^otel-privacy: a metric was dropped because sanitizing failed/);
  });

  it('refuses to be built without options, a policy or an exporter, with the clear error', () => {
    const inner = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    expect(() => new PrivacyMetricExporter(undefined as never)).toThrow(/options\.policy is required/);
    expect(() => new PrivacyMetricExporter({ exporter: inner } as never)).toThrow(/options\.policy is required/);
    expect(() => new PrivacyMetricExporter({ policy: allDetectors() } as never)).toThrow(
      /options\.exporter must be a PushMetricExporter/,
    );
    expect(() => new PrivacyMetricExporter({ policy: allDetectors(), exporter: { export: 1 } as never })).toThrow(
      /options\.exporter must be a PushMetricExporter/,
    );
  });

  it('a meter left without metrics is not exported as an empty scope', async () => {
    const { sendScopes } = setup({ values: { action: 'drop' } } as never);
    const { out } = await sendScopes([
      { scope: { name: 'fake-empty' }, metrics: [sumOf(`fake.${EMAIL}`, [pt(1)])] },
      { scope: { name: 'fake-good' }, metrics: [sumOf('fake.c', [pt(3)])] },
    ]);
    expect(out!.scopeMetrics.map((s) => s.scope.name)).toEqual(['fake-good']);
  });
});

describe('PrivacyMetricExporter: name, description and unit', () => {
  it('a name with a finding under values.action drop: the metric is dropped, counted at every export', async () => {
    const { exporter, send, policy } = setup({ values: { action: 'drop' } } as never);
    const metric = sumOf(`fake.orders.${EMAIL}`, [pt(1)]);
    for (let i = 1; i <= 3; i++) {
      const { out } = await send(metric, sumOf('fake.ok', [pt(1)]));
      expect(names(out)).toEqual(['fake.ok']);
      expect(exporter.stats.droppedForName).toBe(i);
      expect(policy.counters.findings.email).toBe(i);
    }
  });

  it('a description or unit with a finding under values.action drop is exported empty; the metric stays', async () => {
    const { send } = setup({ values: { action: 'drop' } } as never);
    const { out } = await send(sumOf('fake.u', [pt(1)], { description: `owner ${EMAIL}`, unit: `{${EMAIL}}` }));
    const d = out!.scopeMetrics[0]!.metrics[0]!.descriptor;
    expect([d.name, d.description, d.unit]).toEqual(['fake.u', '', '']);
  });

  it('a name, description and unit with findings are exported masked, at every export', async () => {
    const { send, policy } = setup();
    const metric = sumOf(`fake.orders.${EMAIL}`, [pt(1)], { description: `owner ${EMAIL}`, unit: `{${EMAIL}}` });
    for (let i = 1; i <= 2; i++) {
      const { out } = await send(metric);
      const d = out!.scopeMetrics[0]!.metrics[0]!.descriptor;
      expect(JSON.stringify(d)).not.toContain(EMAIL);
      expect(d.description).toContain('owner');
      expect(policy.counters.findings.email).toBe(3 * i);
    }
  });

  it('a descriptor without description or unit (a metric producer of the application) gets empty ones', async () => {
    const { send, policy } = setup();
    const { out } = await send(
      sumOf('fake.bare', [pt(1)], { description: undefined, unit: undefined }),
      sumOf('fake.objects', [pt(1)], { description: 'ok', unit: { toString: () => EMAIL } }),
    );
    const [bare, objects] = out!.scopeMetrics[0]!.metrics.map((m) => m.descriptor);
    expect([bare!.name, bare!.description, bare!.unit]).toEqual(['fake.bare', '', '']);
    expect([objects!.name, objects!.description, objects!.unit]).toEqual(['fake.objects', 'ok', '']);
    expect(policy.counters.invalidFields.metrics).toBe(1);
  });

  it('a clean descriptor is exported as it is (the same object)', async () => {
    const { send } = setup();
    const metric = sumOf('fake.orders', [pt(1)], { description: 'orders placed', unit: '{order}' });
    const { out } = await send(metric);
    expect(out!.scopeMetrics[0]!.metrics[0]!.descriptor).toBe(metric.descriptor);
  });

  it('a name, description or unit that is not a string is counted: its text scanned, objects masked or empty', async () => {
    const { send, policy } = setup();
    const { out } = await send(
      sumOf(CARD as never, [pt(1)]),
      sumOf('fake.desc', [pt(1)], { description: { toString: () => EMAIL }, unit: CARD }),
    );
    expect(policy.counters.invalidFields.metrics).toBe(3);
    const text = JSON.stringify(out);
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain(String(CARD));
    const desc = out!.scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'fake.desc')!.descriptor;
    expect(desc.description).toBe('');
    expect(typeof desc.unit).toBe('string');
  });
});

describe('PrivacyMetricExporter: point times', () => {
  it('real times are exported as they are', async () => {
    const { send, policy } = setup();
    const p = pt(1, {}, [now() - 60, 123], [now() - 1, 456]);
    const { out } = await send(sumOf('fake.t', [p]));
    const q = out!.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!;
    expect(q.startTime).toEqual(p.startTime);
    expect(q.endTime).toEqual(p.endTime);
    expect(policy.counters.implausibleTimes.metrics).toBe(0);
  });

  it('real times are never changed, not even a start after the end', async () => {
    const { send, policy } = setup();
    const p = pt(1, { 'http.route': '/a' }, [now() - 1, 5], [now() - 60, 7]);
    const { out } = await send(sumOf('fake.t', [p]));
    const q = out!.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!;
    expect([q.startTime, q.endTime]).toEqual([p.startTime, p.endTime]);
    expect(policy.counters.implausibleTimes.metrics).toBe(0);
  });

  it('an end that is no time of this telemetry is the clock; a real start is kept; counted once', async () => {
    const { send, policy } = setup();
    const before = BigInt(Date.now() - 1000) * 1_000_000n;
    const start = real(60);
    const { out } = await send(sumOf('fake.t', [pt(1, {}, start, [CARD, 0])]));
    const q = out!.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!;
    expect(nanos(q.endTime) >= before).toBe(true);
    expect(q.startTime).toEqual(start);
    expect(policy.counters.implausibleTimes.metrics).toBe(1);
    expect(JSON.stringify(out)).not.toContain(String(CARD));
  });

  it('a start that is no time of this telemetry is the end; counted once', async () => {
    const { send, policy } = setup();
    const end = real(1);
    const { out } = await send(sumOf('fake.t', [pt(1, {}, [2025550143, 0], end)]));
    const q = out!.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!;
    expect(q.startTime).toEqual(end);
    expect(q.endTime).toEqual(end);
    expect(policy.counters.implausibleTimes.metrics).toBe(1);
  });

  it('both not times of this telemetry: start and end the clock, counted twice', async () => {
    const { send, policy } = setup();
    const { out } = await send(sumOf('fake.t', [pt(1, {}, [1, 0], [2, 0])]));
    const q = out!.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!;
    expect(q.startTime).toEqual(q.endTime);
    expect(nanos(q.endTime) > BigInt(Date.now() - 5000) * 1_000_000n).toBe(true);
    expect(policy.counters.implausibleTimes.metrics).toBe(2);
  });

  it('a real start after an end replaced by the clock is the end (never a start after the end)', async () => {
    const { send, policy } = setup();
    const { out } = await send(sumOf('fake.t', [pt(1, {}, [now() + 3600, 0], [now() + 3 * 86400, 0])]));
    const q = out!.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!;
    expect(nanos(q.startTime) <= nanos(q.endTime)).toBe(true);
    expect(q.startTime).toEqual(q.endTime);
    expect(policy.counters.implausibleTimes.metrics).toBe(1);
  });
});

describe('PrivacyMetricExporter: identifier values (real MeterProvider)', () => {
  it('a card number recorded: that point and every later point of the instrument are not exported, counted', async () => {
    captureDiag();
    const policy = allDetectors();
    const { meter, collect, provider } = pipeline(policy, { temporality: AggregationTemporality.DELTA });
    const g = meter().createGauge('fake.amount');
    const other = meter().createGauge('fake.other');
    g.record(12.5, { 'fake.tier': 'a' });
    other.record(3);
    expect(series(metricOf(await collect(), 'fake.amount'))).toEqual([
      { attributes: { 'fake.tier': 'a' }, value: 12.5 },
    ]);
    g.record(CARD, { 'fake.tier': 'b' });
    g.record(7, { 'fake.tier': 'a' });
    other.record(3);
    const second = await collect();
    // the other points of that export are kept; from the next export on, none of the instrument's
    expect(series(metricOf(second, 'fake.amount'))).toEqual([{ attributes: { 'fake.tier': 'a' }, value: 7 }]);
    expect(series(metricOf(second, 'fake.other'))).toEqual([{ attributes: {}, value: 3 }]);
    expect(policy.counters.identifierValues).toBe(1);
    g.record(8, { 'fake.tier': 'a' });
    other.record(3);
    const third = await collect();
    expect(metricOf(third, 'fake.amount')).toBeUndefined();
    expect(series(metricOf(third, 'fake.other'))).toEqual([{ attributes: {}, value: 3 }]);
    expect(policy.counters.identifierValues).toBe(2);
    expect(JSON.stringify([second, third])).not.toContain(String(CARD));
    // one warning, at the first drop, naming the instrument and the kind, never the number
    expect(warnings()).toEqual([
      'otel-privacy: metric "fake.amount" recorded a number that looks like a payment-card number: it and every later point of the instrument are not exported (counted in otel_privacy.items.dropped{reason="identifier_value"})',
    ]);
    await provider.shutdown();
  });

  it('an instrument named for an identifier: none of its points is exported, each counted', async () => {
    captureDiag();
    const policy = allDetectors();
    const { meter, collect, provider } = pipeline(policy, { temporality: AggregationTemporality.DELTA });
    const g = meter().createGauge('fake.customer.ssn');
    g.record(5, { 'fake.tier': 'a' });
    g.record(6, { 'fake.tier': 'b' });
    meter().createGauge('fake.other').record(1);
    const rm = await collect();
    expect(names(rm)).toEqual(['fake.other']);
    expect(policy.counters.identifierValues).toBe(2);
    // the warning comes with the first drop, not a later one
    expect(warnings()).toHaveLength(1);
    g.record(7, { 'fake.tier': 'a' });
    expect(metricOf(await collect(), 'fake.customer.ssn')).toBeUndefined();
    expect(policy.counters.identifierValues).toBe(3);
    expect(warnings()).toEqual([
      'otel-privacy: metric "fake.customer.ssn" is named for an identifier: its points are not exported (counted in otel_privacy.items.dropped{reason="identifier_value"})',
    ]);
    await provider.shutdown();
  });

  it('a histogram with a card number as a bucket boundary: none of its points is exported, now or later', async () => {
    const policy = allDetectors();
    const { meter, collect, provider } = pipeline(policy, { temporality: AggregationTemporality.DELTA });
    const h = meter().createHistogram('fake.size', { advice: { explicitBucketBoundaries: [1, 10, CARD] } });
    const clean = meter().createHistogram('fake.clean', { advice: { explicitBucketBoundaries: [1, 10, 100] } });
    h.record(5);
    clean.record(5);
    const rm = await collect();
    expect(names(rm)).toEqual(['fake.clean']);
    expect(policy.counters.identifierValues).toBe(1);
    h.record(5);
    clean.record(5);
    expect(names(await collect())).toEqual(['fake.clean']);
    expect(policy.counters.identifierValues).toBe(2);
    await provider.shutdown();
  });

  it('a card number at any place among clean bucket boundaries (before, between, after them): nothing exported', async () => {
    // clean boundaries on both sides of the card: small ones, and ones of 1e20 and more (too long for any identifier)
    const cards = [4111111111111111, 5555555555554444, 378282246310005];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...cards),
        fc.uniqueArray(fc.integer({ min: 1, max: 1e9 }), { maxLength: 3 }),
        fc.uniqueArray(
          fc.integer({ min: 1, max: 50 }).map((k) => k * 1e20),
          { maxLength: 3 },
        ),
        async (card, small, large) => {
          const boundaries = [...small.sort((a, b) => a - b), card, ...large.sort((a, b) => a - b)];
          const policy = allDetectors();
          const { meter, collect, provider } = pipeline(policy, { temporality: AggregationTemporality.DELTA });
          const h = meter().createHistogram('fake.size', { advice: { explicitBucketBoundaries: boundaries } });
          h.record(5);
          const rm = await collect();
          await provider.shutdown();
          expect(metricOf(rm, 'fake.size')).toBeUndefined();
          expect(JSON.stringify(rm)).not.toContain(String(card));
          expect(policy.counters.identifierValues).toBe(1);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("a histogram's sum, minimum or maximum that is a card number: the point is not exported", async () => {
    for (const values of [[CARD], [CARD, 1], [0.5, CARD - 0.5]]) {
      const policy = allDetectors();
      const { meter, collect, provider } = pipeline(policy, { temporality: AggregationTemporality.DELTA });
      const h = meter().createHistogram('fake.size');
      for (const v of values) h.record(v);
      const rm = await collect();
      expect(metricOf(rm, 'fake.size')).toBeUndefined();
      expect(JSON.stringify(rm)).not.toContain(String(CARD));
      expect(policy.counters.identifierValues).toBe(1);
      await provider.shutdown();
    }
  });

  it('scaled card digits are cut to six significant digits in values, sums, minimums, maximums and boundaries', async () => {
    const policy = allDetectors();
    const { meter, collect, provider } = pipeline(policy, { temporality: AggregationTemporality.DELTA });
    const scaled = 4111.111111111111;
    meter().createGauge('fake.ratio').record(scaled);
    const h = meter().createHistogram('fake.dist', { advice: { explicitBucketBoundaries: [1, scaled, 1e6] } });
    h.record(scaled);
    const rm = await collect();
    expect(series(metricOf(rm, 'fake.ratio'))).toEqual([{ attributes: {}, value: 4111.11 }]);
    const hp = metricOf(rm, 'fake.dist')!.dataPoints[0]!.value as Histogram;
    expect(hp.sum).toBe(4111.11);
    expect(hp.min).toBe(4111.11);
    expect(hp.max).toBe(4111.11);
    expect(hp.buckets.boundaries).toEqual([1, 4111.11, 1e6]);
    expect(hp.count).toBe(1);
    // the whole export, descriptors included: the SDK's advice (the boundaries as the application gave them) is not
    // passed on, so an exporter that prints whole descriptors shows no card digits either
    expect(JSON.stringify(rm)).not.toContain('4111.1111');
    expect(JSON.stringify(metricOf(rm, 'fake.dist')!.descriptor)).not.toContain('4111');
    await provider.shutdown();
  });
  it("scaled card digits in a histogram's sum alone (minimum, maximum and boundaries clean) are cut too", async () => {
    const policy = allDetectors();
    const { meter, collect, provider } = pipeline(policy, { temporality: AggregationTemporality.DELTA });
    const h = meter().createHistogram('fake.dist');
    h.record(4000);
    h.record(111.111111111111);
    const rm = await collect();
    const hp = metricOf(rm, 'fake.dist')!.dataPoints[0]!.value as Histogram;
    expect(hp.sum).toBe(4111.11);
    expect(hp.min).toBe(111.111111111111);
    expect(hp.max).toBe(4000);
    expect(hp.count).toBe(2);
    expect(JSON.stringify(rm)).not.toContain('4111.1111');
    await provider.shutdown();
  });
  it("scaled card digits in a histogram's minimum alone or maximum alone are cut; the clean fields kept", async () => {
    const cases: [number[], 'min' | 'max'][] = [
      [[4111.111111111111, 20000.25], 'min'],
      [[0.25, 4111.111111111111], 'max'],
    ];
    for (const [values, field] of cases) {
      const policy = allDetectors();
      const { meter, collect, provider } = pipeline(policy, { temporality: AggregationTemporality.DELTA });
      const h = meter().createHistogram('fake.dist');
      for (const v of values) h.record(v);
      const rm = await collect();
      const hp = metricOf(rm, 'fake.dist')!.dataPoints[0]!.value as Histogram;
      expect(hp[field]).toBe(4111.11);
      expect(hp[field === 'min' ? 'max' : 'min']).toBe(field === 'min' ? 20000.25 : 0.25);
      expect(JSON.stringify(rm)).not.toContain('4111.1111');
      await provider.shutdown();
    }
  });
});

describe('PrivacyMetricExporter: the number checks follow the values settings', () => {
  it('without the payment-card and phone detectors a card recorded is exported as recorded; a reload to all drops it', async () => {
    const policy = makePolicy({ values: { detectors: ['email'] } });
    const { meter, collect, provider } = pipeline(policy, { temporality: AggregationTemporality.DELTA });
    const g = meter().createGauge('fake.amount');
    g.record(CARD);
    expect(series(metricOf(await collect(), 'fake.amount'))).toEqual([{ attributes: {}, value: CARD }]);
    expect(policy.counters.identifierValues).toBe(0);
    policy.replaceWith(allDetectors());
    g.record(CARD);
    expect(metricOf(await collect(), 'fake.amount')).toBeUndefined();
    expect(policy.counters.identifierValues).toBe(1);
    await provider.shutdown();
  });

  it('with the phone detector only, a card number is exported and a phone number under a phone instrument is not', async () => {
    const policy = makePolicy({ values: { detectors: ['phone'] } });
    const { meter, collect, provider } = pipeline(policy, { temporality: AggregationTemporality.DELTA });
    meter().createGauge('fake.amount').record(CARD);
    meter().createGauge('fake.caller.phone').record(12025550143);
    const rm = await collect();
    expect(series(metricOf(rm, 'fake.amount'))).toEqual([{ attributes: {}, value: CARD }]);
    expect(metricOf(rm, 'fake.caller.phone')).toBeUndefined();
    expect(policy.counters.identifierValues).toBe(1);
    await provider.shutdown();
  });
});

describe('PrivacyMetricExporter: the series the views recorded for opted-out subjects', () => {
  it('is never exported; a metric left without points is not exported at all', async () => {
    const { send } = setup();
    const suppressed = { 'otel_privacy.consent.suppressed': true };
    const { out } = await send(
      sumOf('fake.only', [pt(5, suppressed)]),
      sumOf('fake.mixed', [pt(5, suppressed), pt(2, { 'http.route': '/a' })]),
    );
    expect(names(out)).toEqual(['fake.mixed']);
    expect(series(metricOf(out!, 'fake.mixed'))).toEqual([{ attributes: { 'http.route': '/a' }, value: 2 }]);
  });
});
