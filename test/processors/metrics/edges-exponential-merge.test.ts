import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ExponentialHistogram } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeExponentialHistograms } from '../../../processors/metrics/metric-exponential-histogram-merge';
import { RawMetricReader } from './metric-test-kit';

// Edges of merging exponential histograms: the merged point of two series equals the SDK's own histogram of all their
// values (same scale after lowering to fit `maxSize`, same buckets), through a real MeterProvider.

/** Non-zero buckets as [index, count] pairs (offsets and zero padding differ legitimately). */
const buckets = (b: ExponentialHistogram['positive']) =>
  b.bucketCounts.flatMap((c, i) => (c === 0 ? [] : [[b.offset + i, c]]));

async function sdkHistograms(maxSize: number, series: number[][]): Promise<ExponentialHistogram[]> {
  const reader = new RawMetricReader();
  const provider = new MeterProvider({
    readers: [reader],
    views: [
      {
        instrumentName: 'fake.latency',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize } },
      },
    ],
  });
  const h = provider.getMeter('edges-exp').createHistogram('fake.latency');
  series.forEach((values, i) => values.forEach((v) => h.record(v, { s: i })));
  const { resourceMetrics } = await reader.collect();
  await provider.shutdown();
  const points = resourceMetrics.scopeMetrics[0]!.metrics[0]!.dataPoints;
  return series.map((_, i) => points.find((p) => p.attributes['s'] === i)!.value as ExponentialHistogram);
}

const value = fc.oneof(
  fc.constant(0),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -40, max: 40 }).map((e) => 2 ** e), // exact powers of two: bucket upper bounds
  fc.double({ min: 1, max: 1.0001, noNaN: true }), // close values: fine scales
);

describe('mergeExponentialHistograms against the SDK', () => {
  it('two series merged = one series of all their values, at maxSize edges', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(value, { minLength: 1, maxLength: 10 }),
        fc.array(value, { minLength: 1, maxLength: 10 }),
        fc.constantFrom(2, 3, 4, 8, 160),
        async (va, vb, maxSize) => {
          const [a, b, all] = await sdkHistograms(maxSize, [va, vb, [...va, ...vb]]);
          const before = JSON.stringify([a, b]);
          const m = mergeExponentialHistograms(a!, b!, maxSize);
          expect(m.count).toBe(all!.count);
          expect(m.zeroCount).toBe(all!.zeroCount);
          if (va.length + vb.length > 0 && buckets(all!.positive).length + buckets(all!.negative).length > 0)
            expect(m.scale).toBe(all!.scale);
          expect(buckets(m.positive)).toEqual(buckets(all!.positive));
          expect(buckets(m.negative)).toEqual(buckets(all!.negative));
          expect(m.positive.bucketCounts.length).toBeLessThanOrEqual(maxSize);
          expect(m.negative.bucketCounts.length).toBeLessThanOrEqual(maxSize);
          if (va.length > 0 && vb.length > 0) {
            expect(m.min).toBe(all!.min);
            expect(m.max).toBe(all!.max);
          }
          expect(JSON.stringify([a, b])).toBe(before);
        },
      ),
      { numRuns: 60, seed: 20261206 },
    );
  });

  it('a point of zeros only does not lower the scale of the other', () => {
    const zeros: ExponentialHistogram = {
      count: 2,
      sum: 0,
      scale: 0,
      zeroCount: 2,
      positive: { offset: 0, bucketCounts: [] },
      negative: { offset: 0, bucketCounts: [0, 0] },
      min: 0,
      max: 0,
    };
    const fine: ExponentialHistogram = {
      count: 1,
      sum: 1.5,
      scale: 5,
      zeroCount: 0,
      positive: { offset: 18, bucketCounts: [1] },
      negative: { offset: 0, bucketCounts: [] },
      min: 1.5,
      max: 1.5,
    };
    expect(mergeExponentialHistograms(zeros, fine).scale).toBe(5);
    expect(mergeExponentialHistograms(fine, zeros).scale).toBe(5);
    expect(mergeExponentialHistograms(zeros, { ...zeros, scale: 3 }).scale).toBe(0);
    // zero counts at the ends of a range take no room: no lowering for them
    const padded: ExponentialHistogram = { ...fine, positive: { offset: 16, bucketCounts: [0, 0, 1, 0, 0] } };
    const later = { ...fine, positive: { offset: 22, bucketCounts: [1] } };
    const m = mergeExponentialHistograms(padded, later, 2); // at most 5 buckets (the longer input's length)
    expect(m.scale).toBe(5);
    expect(buckets(m.positive)).toEqual([
      [18, 1],
      [22, 1],
    ]);
  });
});
