import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import type { ExponentialHistogram, Histogram } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { PrivacyMetricExporter } from '../../../processors/metrics/privacy-metric-exporter';
import { makePolicy, metricOf, pipeline, pointsOf, series } from './metric-test-kit';

const SUPPRESSED = { 'otel_privacy.suppressed': true };
const kPolicy = (k = 3) => makePolicy({ metrics: { attributes: { allow: ['fake.tier'] }, kAnonymity: k } });

describe.each([
  ['DELTA', AggregationTemporality.DELTA],
  ['CUMULATIVE', AggregationTemporality.CUMULATIVE],
])('metrics.kAnonymity (%s)', (_name, temporality) => {
  it('folds small monotonic integer counters and small histograms into one suppressed point; totals stay exact', async () => {
    const { meter, collect, provider } = pipeline(kPolicy(3), { temporality });
    const c = meter().createCounter('fake.orders', { valueType: ValueType.INT });
    c.add(5, { 'fake.tier': 'gold' });
    c.add(1, { 'fake.tier': 'silver' });
    c.add(2, { 'fake.tier': 'bronze' });
    const h = meter().createHistogram('fake.latency');
    for (const v of [1, 2, 3, 4]) h.record(v, { 'fake.tier': 'gold' });
    h.record(10, { 'fake.tier': 'silver' });
    h.record(20, { 'fake.tier': 'bronze' });
    const rm = await collect();
    expect(series(metricOf(rm, 'fake.orders'))).toEqual([
      { attributes: { 'fake.tier': 'gold' }, value: 5 },
      { attributes: SUPPRESSED, value: 3 },
    ]);
    const hp = pointsOf<Histogram>(metricOf(rm, 'fake.latency'));
    expect(hp.map((p) => [p.attributes, p.value.count, p.value.sum])).toEqual([
      [{ 'fake.tier': 'gold' }, 4, 10],
      [SUPPRESSED, 2, 30],
    ]);
    await provider.shutdown();
  });

  it('keeps a group of exactly k and folds a group of k-1 (counters and histograms)', async () => {
    const { meter, collect, provider } = pipeline(kPolicy(3), { temporality });
    const c = meter().createCounter('fake.orders', { valueType: ValueType.INT });
    c.add(3, { 'fake.tier': 'gold' });
    c.add(2, { 'fake.tier': 'silver' });
    const h = meter().createHistogram('fake.latency');
    for (const v of [1, 2, 3]) h.record(v, { 'fake.tier': 'gold' });
    for (const v of [10, 20]) h.record(v, { 'fake.tier': 'silver' });
    const rm = await collect();
    expect(series(metricOf(rm, 'fake.orders'))).toEqual([
      { attributes: { 'fake.tier': 'gold' }, value: 3 },
      { attributes: SUPPRESSED, value: 2 },
    ]);
    const hp = pointsOf<Histogram>(metricOf(rm, 'fake.latency'));
    expect(hp.map((p) => [p.attributes, p.value.count, p.value.sum])).toEqual([
      [{ 'fake.tier': 'gold' }, 3, 6],
      [SUPPRESSED, 2, 30],
    ]);
    await provider.shutdown();
  });

  it('does not fold gauges, up-down counters or floating-point counters; exponential histograms are folded', async () => {
    const { meter, collect, provider } = pipeline(kPolicy(3), { temporality, exponential: true });
    meter().createGauge('fake.temp').record(1, { 'fake.tier': 'gold' });
    meter().createUpDownCounter('fake.active').add(1, { 'fake.tier': 'gold' });
    meter().createCounter('fake.bytes', { valueType: ValueType.DOUBLE }).add(0.5, { 'fake.tier': 'gold' });
    const h = meter().createHistogram('fake.size');
    h.record(1, { 'fake.tier': 'gold' });
    h.record(2, { 'fake.tier': 'silver' });
    const rm = await collect();
    for (const name of ['fake.temp', 'fake.active', 'fake.bytes'])
      expect(series(metricOf(rm, name)).map((s) => s.attributes)).toEqual([{ 'fake.tier': 'gold' }]);
    const ep = pointsOf<ExponentialHistogram>(metricOf(rm, 'fake.size'));
    expect(ep.map((p) => [p.attributes, p.value.count, p.value.sum])).toEqual([[SUPPRESSED, 2, 3]]);
    await provider.shutdown();
  });
});

describe('metrics.kAnonymity with delta temporality', () => {
  it('keeps no state: a series folded in one export is kept in the next once its group reaches k', async () => {
    const { meter, collect, provider } = pipeline(kPolicy(3), { temporality: AggregationTemporality.DELTA });
    const c = meter().createCounter('fake.orders', { valueType: ValueType.INT });
    c.add(1, { 'fake.tier': 'gold' });
    expect(series(metricOf(await collect(), 'fake.orders'))).toEqual([{ attributes: SUPPRESSED, value: 1 }]);
    c.add(3, { 'fake.tier': 'gold' });
    expect(series(metricOf(await collect(), 'fake.orders'))).toEqual([
      { attributes: { 'fake.tier': 'gold' }, value: 3 },
    ]);
    await provider.shutdown();
  });
});

describe('metrics.kAnonymity with cumulative temporality', () => {
  it('cumulative: a folded series stays folded after it reaches k, so the fold never goes down and nothing is counted twice', async () => {
    const { meter, collect, provider, reader } = pipeline(kPolicy(3), {
      temporality: AggregationTemporality.CUMULATIVE,
    });
    const c = meter().createCounter('fake.orders', { valueType: ValueType.INT });
    c.add(1, { 'fake.tier': 'silver' });
    c.add(2, { 'fake.tier': 'bronze' });
    const first = pointsOf(metricOf(await collect(), 'fake.orders'));
    expect(first.map((p) => [p.attributes, p.value])).toEqual([[SUPPRESSED, 3]]);
    c.add(1, { 'fake.tier': 'gold' }); // joins the fold
    const second = pointsOf(metricOf(await collect(), 'fake.orders'));
    expect(second.map((p) => [p.attributes, p.value])).toEqual([[SUPPRESSED, 4]]);
    expect(second[0]!.startTime).toEqual(first[0]!.startTime);
    c.add(5, { 'fake.tier': 'silver' }); // silver reaches 6 ≥ k but stays in the fold: 4 → 9, same start
    c.add(4, { 'fake.tier': 'platinum' }); // a new series at ≥ k from the start is kept on its own
    const third = pointsOf(metricOf(await collect(), 'fake.orders'));
    expect(third.map((p) => [p.attributes, p.value])).toEqual([
      [{ 'fake.tier': 'platinum' }, 4],
      [SUPPRESSED, 9],
    ]);
    expect(third[1]!.startTime).toEqual(first[0]!.startTime);
    // totals stay exact: 1+2+1+5+4
    expect(third.reduce((sum, p) => sum + (p.value as number), 0)).toBe(13);
    expect(reader.privacyExporter.stats.suppressed).toBe(2 + 3 + 3);
    await provider.shutdown();
  });

  it('a fold made upstream joins this one (never a duplicate series)', async () => {
    const inner = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const exporter = new PrivacyMetricExporter({ policy: kPolicy(3), exporter: inner });
    const p = (attributes: Record<string, string | boolean>, value: number) => ({
      startTime: [1, 0] as [number, number],
      endTime: [2, 0] as [number, number],
      attributes,
      value,
    });
    const metric: MetricData = {
      descriptor: { name: 'fake.n', description: '', unit: '', valueType: ValueType.INT },
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: [p(SUPPRESSED, 10), p({ 'fake.tier': 'gold' }, 1), p({ 'fake.tier': 'silver' }, 7)],
    };
    await new Promise((resolve) =>
      exporter.export(
        { resource: resourceFromAttributes({}), scopeMetrics: [{ scope: { name: 'fake' }, metrics: [metric] }] },
        resolve,
      ),
    );
    expect(series(metricOf(inner.getMetrics().at(-1)!, 'fake.n'))).toEqual([
      { attributes: { 'fake.tier': 'silver' }, value: 7 },
      { attributes: SUPPRESSED, value: 11 },
    ]);
    // only the small group is counted as suppressed here; the upstream fold was counted where it was made
    expect(exporter.stats.suppressed).toBe(1);
  });

  it('a series that carries otel_privacy.suppressed among other attributes is a series of its own, not the fold', async () => {
    const policy = makePolicy({
      metrics: { attributes: { allow: ['fake.tier', 'otel_privacy.suppressed'] }, kAnonymity: 3 },
    });
    const inner = new InMemoryMetricExporter(AggregationTemporality.DELTA);
    const exporter = new PrivacyMetricExporter({ policy, exporter: inner });
    const p = (attributes: Record<string, string | boolean>, value: number) => ({
      startTime: [1, 0] as [number, number],
      endTime: [2, 0] as [number, number],
      attributes,
      value,
    });
    const metric: MetricData = {
      descriptor: { name: 'fake.n', description: '', unit: '', valueType: ValueType.INT },
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: [p({ ...SUPPRESSED, 'fake.tier': 'gold' }, 7), p({ 'fake.tier': 'silver' }, 1)],
    };
    await new Promise((resolve) =>
      exporter.export(
        { resource: resourceFromAttributes({}), scopeMetrics: [{ scope: { name: 'fake' }, metrics: [metric] }] },
        resolve,
      ),
    );
    expect(series(metricOf(inner.getMetrics().at(-1)!, 'fake.n'))).toEqual([
      { attributes: { ...SUPPRESSED, 'fake.tier': 'gold' }, value: 7 },
      { attributes: SUPPRESSED, value: 1 },
    ]);
  });

  it('cumulative: two scopes of one name (another version or schema URL) keep their folds apart', async () => {
    const { provider, collect } = pipeline(kPolicy(3), { temporality: AggregationTemporality.CUMULATIVE });
    const schemaUrl = 'https://opentelemetry.io/schemas/1.30.0';
    // [version, schema URL, value]: each small group comes before a large one of the same name that must stay kept
    const scopes: [string, string | undefined, number][] = [
      ['1.0.0', undefined, 1],
      ['2.0.0', undefined, 5],
      ['3.0.0', undefined, 1],
      ['3.0.0', schemaUrl, 6],
      ['4.0.0', schemaUrl, 1],
      ['4.0.0', 'https://opentelemetry.io/schemas/1.31.0', 7],
    ];
    for (const [version, url, value] of scopes)
      provider
        .getMeter('fake-lib', version, url === undefined ? {} : { schemaUrl: url })
        .createCounter('fake.orders', { valueType: ValueType.INT })
        .add(value, { 'fake.tier': 'gold' });
    for (let round = 0; round < 2; round++) {
      const rm = await collect();
      for (const [version, url, value] of scopes) {
        const metric = rm.scopeMetrics
          .find((s) => s.scope.version === version && s.scope.schemaUrl === url)
          ?.metrics.find((m) => m.descriptor.name === 'fake.orders');
        expect(series(metric)).toEqual([{ attributes: value < 3 ? SUPPRESSED : { 'fake.tier': 'gold' }, value }]);
      }
    }
    await provider.shutdown();
  });

  it("cumulative: when a folded series stops being reported, the fold restarts at the previous export's latest end (a reset, never a decrease)", async () => {
    const inner = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const exporter = new PrivacyMetricExporter({ policy: kPolicy(3), exporter: inner });
    const resource = resourceFromAttributes({});
    // seconds after a real time (a time before 2000 would be exported as the clock: see engine/plausible-time.ts)
    const BASE = 1_700_000_000;
    const p = (tier: string, value: number, end: number, start = 1) => ({
      startTime: [BASE + start, 0] as [number, number],
      endTime: [BASE + end, 0] as [number, number],
      attributes: { 'fake.tier': tier },
      value,
    });
    const exportPoints = async (dataPoints: ReturnType<typeof p>[], name = 'fake.n') => {
      const metric: MetricData = {
        descriptor: { name, description: '', unit: '', valueType: ValueType.INT },
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints,
      };
      await new Promise((resolve) =>
        exporter.export({ resource, scopeMetrics: [{ scope: { name: 'fake' }, metrics: [metric] }] }, resolve),
      );
      return pointsOf<number>(metricOf(inner.getMetrics().at(-1)!, name));
    };
    // the latest end is not the first point's
    const first = await exportPoints([p('silver', 2, 8), p('gold', 1, 10), p('bronze', 1, 9)]);
    expect(first.map((x) => [x.attributes, x.value, x.startTime])).toEqual([[SUPPRESSED, 4, [BASE + 1, 0]]]);
    // silver is gone: the fold's value drops from 4 to 3, so it restarts at the first export's latest end (10 s).
    const second = await exportPoints([p('gold', 2, 20), p('bronze', 1, 19)]);
    expect(second.map((x) => [x.attributes, x.value, x.startTime])).toEqual([[SUPPRESSED, 3, [BASE + 10, 0]]]);
    // nothing left the fold this time: the start stays.
    const third = await exportPoints([p('gold', 4, 30), p('bronze', 1, 29)]);
    expect(third.map((x) => [x.attributes, x.value, x.startTime])).toEqual([[SUPPRESSED, 5, [BASE + 10, 0]]]);
    // another metric: while no member leaves, the fold keeps the start it was first exported with, whatever start
    // its members carry later
    expect((await exportPoints([p('gold', 1, 10)], 'fake.m')).map((x) => x.startTime)).toEqual([[BASE + 1, 0]]);
    expect((await exportPoints([p('gold', 2, 20, 5)], 'fake.m')).map((x) => x.startTime)).toEqual([[BASE + 1, 0]]);
  });
});
