import type { HrTime } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, MeterProvider } from '@opentelemetry/sdk-metrics';
import type { DataPoint, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHrTime, mergeCollidingPoints, mergeTwoPoints } from '../../../processors/metrics/metric-point-merge';
import type { MergeCounts } from '../../../processors/metrics/metric-point-merge';
import { PrivacyMetricReader } from '../../../processors/metrics/privacy-metric-reader';
import { RawMetricReader, TestMetricExporter, makePolicy, metricOf } from './metric-test-kit';

// Edges of merging series that collide after redaction (docs/minimization.md, merged series): sums span the earliest
// start to the latest end, a gauge keeps the point with the latest end (the later one on a tie).

const RUNS = { numRuns: 300, seed: 20261206 };

/** Two HrTimes near each other: the same second with nanos on either side, or adjacent seconds with nanos reversed. */
const nearTimes = fc
  .tuple(
    fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }),
    fc.integer({ min: 0, max: 999_999_999 }),
    fc.integer({ min: -1, max: 1 }),
    fc.integer({ min: -2, max: 2 }),
  )
  .map(([s, n, ds, dn]): [HrTime, HrTime] => [
    [s, n],
    [s + ds, Math.min(999_999_999, Math.max(0, ds === 0 ? n + dn : 999_999_999 - n))],
  ]);

const ns = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
const point = (start: HrTime, end: HrTime, value: unknown): DataPoint<unknown> => ({
  startTime: start,
  endTime: end,
  attributes: {},
  value,
});

describe('mergeTwoPoints at the time edges', () => {
  it('compareHrTime orders by seconds first, then nanoseconds, 0 only on equal times', () => {
    fc.assert(
      fc.property(nearTimes, ([a, b]) => {
        expect(Math.sign(compareHrTime(a, b))).toBe(Math.sign(Number(ns(a) - ns(b))));
      }),
      RUNS,
    );
  });

  it('a sum spans the earliest start to the latest end, whichever point comes first', () => {
    fc.assert(
      fc.property(nearTimes, nearTimes, fc.integer(), fc.integer(), ([s1, s2], [e1, e2], v1, v2) => {
        const m = mergeTwoPoints(DataPointType.SUM, point(s1, e1, v1), point(s2, e2, v2), { k: 'v' });
        expect(ns(m.startTime)).toBe(ns(s1) < ns(s2) ? ns(s1) : ns(s2));
        expect(ns(m.endTime)).toBe(ns(e1) > ns(e2) ? ns(e1) : ns(e2));
        expect(m.value).toBe(v1 + v2);
        expect(m.attributes).toEqual({ k: 'v' });
      }),
      RUNS,
    );
  });

  it('a gauge keeps the point with the latest end, the second one on a tie, with its own start', () => {
    fc.assert(
      fc.property(nearTimes, nearTimes, ([s1, s2], [e1, e2]) => {
        const a = point(s1, e1, 'a');
        const b = point(s2, e2, 'b');
        const m = mergeTwoPoints(DataPointType.GAUGE, a, b, {});
        const keep = ns(e2) >= ns(e1) ? b : a;
        expect(m.value).toBe(keep.value);
        expect(m.startTime).toBe(keep.startTime);
        expect(m.endTime).toBe(keep.endTime);
      }),
      RUNS,
    );
  });

  it('counts a re-bucketing only when the boundaries differ, and refuses an unknown point type', () => {
    const h = (boundaries: number[]): Histogram => ({
      buckets: { boundaries, counts: [...boundaries.map(() => 1), 1] },
      sum: 3,
      count: boundaries.length + 1,
      min: 1,
      max: 2,
    });
    const counts: MergeCounts = { merged: 0, rebucketed: 0 };
    const t: HrTime = [1_800_000_000, 0];
    mergeTwoPoints(DataPointType.HISTOGRAM, point(t, t, h([1, 2])), point(t, t, h([1, 2])), {}, counts);
    expect(counts.rebucketed).toBe(0);
    mergeTwoPoints(DataPointType.HISTOGRAM, point(t, t, h([1, 2])), point(t, t, h([1, 3])), {}, counts);
    expect(counts.rebucketed).toBe(1);
    expect(() => mergeTwoPoints(99 as DataPointType, point(t, t, 1), point(t, t, 1), {})).toThrow(TypeError);
  });
});

describe('mergeCollidingPoints at the count edges', () => {
  const metric = { dataPointType: DataPointType.SUM } as MetricData;
  const t: HrTime = [1_800_000_000, 0];
  it('returns the same array when nothing collides (0, 1 or distinct points) and merges in first-seen order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 8 }), (keys) => {
        const points = keys.map((k, i) => ({ ...point(t, t, i + 1), attributes: { k } }));
        const counts: MergeCounts = { merged: 0, rebucketed: 0 };
        const out = mergeCollidingPoints(metric, points, counts);
        const distinct = [...new Set(keys)];
        if (distinct.length === keys.length) expect(out).toBe(points);
        expect(out.map((p) => p.attributes['k'])).toEqual(distinct);
        expect(counts.merged).toBe(keys.length - distinct.length);
        for (const k of distinct)
          expect(out.find((p) => p.attributes['k'] === k)!.value).toBe(
            keys.reduce((sum, x, i) => (x === k ? sum + i + 1 : sum), 0),
          );
      }),
      RUNS,
    );
  });
});

describe('through a real MeterProvider: series that collide once a key is dropped', () => {
  for (const temporality of [AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA]) {
    const name = temporality === AggregationTemporality.CUMULATIVE ? 'cumulative' : 'delta';
    it(`${name}: the merged sum starts with its oldest part; the gauge is the series recorded last`, async () => {
      const inner = new TestMetricExporter(temporality);
      const reader = new PrivacyMetricReader({
        policy: makePolicy(),
        exporter: inner,
        exportIntervalMillis: 3_600_000,
      });
      const raw = new RawMetricReader({ aggregationTemporalitySelector: () => temporality });
      const provider = new MeterProvider({ readers: [reader, raw] });
      try {
        const meter = provider.getMeter('edges-merge');
        const counter = meter.createCounter('fake.orders');
        const gauge = meter.createGauge('fake.queue');
        // `app.note` is dropped by the policy: the three series become one; the last recorded comes first
        for (const [i, note] of ['n3', 'n1', 'n2'].entries()) {
          counter.add(i + 1, { 'http.route': '/a', 'app.note': note });
          gauge.record(10 * (i + 1), { 'http.route': '/a', 'app.note': note });
          await new Promise((r) => setTimeout(r, 3));
        }
        const { resourceMetrics } = await raw.collect();
        await reader.forceFlush();
        const rm = inner.getMetrics().at(-1)!;
        const rawOrders = metricOf(resourceMetrics, 'fake.orders')!.dataPoints;
        expect(rawOrders).toHaveLength(3);
        const starts = rawOrders.map((p) => ns(p.startTime));
        expect(new Set(starts).size).toBeGreaterThan(1); // the SDK starts each series when first recorded
        const orders = metricOf(rm, 'fake.orders')!;
        expect(orders.dataPoints).toHaveLength(1);
        const merged = orders.dataPoints[0]!;
        expect(merged.value).toBe(6);
        expect(merged.attributes).toEqual({ 'http.route': '/a' });
        expect(ns(merged.startTime)).toBeLessThanOrEqual(starts.reduce((a, b) => (a < b ? a : b)));
        const queue = metricOf(rm, 'fake.queue')!;
        expect(queue.dataPoints.map((p) => p.value)).toEqual([30]);
      } finally {
        await provider.shutdown();
      }
    });
  }
});
