import type { Histogram } from '@opentelemetry/sdk-metrics';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mergeHistograms,
  mergedMax,
  mergedMin,
  mergedSum,
  needsRebucketing,
} from '../../../processors/metrics/metric-histogram-merge';

// Edges of merging explicit-bucket histograms (processors/metrics/metric-histogram-merge.ts): bucket `(l, u]` edges,
// re-bucketing onto the shared boundaries, empty points' min/max, a missing sum.

/** The histogram the SDK would record for `values` on `boundaries`: bucket i holds (boundaries[i-1], boundaries[i]]. */
function histogramOf(values: readonly number[], boundaries: readonly number[]): Histogram {
  const counts = new Array<number>(boundaries.length + 1).fill(0);
  for (const v of values) {
    let i = 0;
    while (i < boundaries.length && v > boundaries[i]!) i++;
    counts[i]!++;
  }
  return {
    buckets: { boundaries: [...boundaries], counts },
    count: values.length,
    sum: values.reduce((s, v) => s + v, 0),
    min: values.length === 0 ? Infinity : Math.min(...values),
    max: values.length === 0 ? -Infinity : Math.max(...values),
  };
}

const GRID = [0, 5, 10, 25, 50, 100];
const boundariesArb = fc.subarray(GRID).map((b) => b.slice().sort((x, y) => x - y));
/** Values on and around the grid's boundaries (a value equal to a boundary belongs to the bucket below it). */
const valuesArb = fc.array(
  fc.oneof(
    fc.constantFrom(...GRID),
    fc.constantFrom(...GRID).map((g) => g + 1),
    fc.integer({ min: -5, max: 120 }),
  ),
  { maxLength: 12 },
);

describe('mergeHistograms', () => {
  it('equals the histogram of all values on the boundaries both points have', () => {
    fc.assert(
      fc.property(valuesArb, valuesArb, boundariesArb, boundariesArb, (va, vb, ba, bb) => {
        const a = histogramOf(va, ba);
        const b = histogramOf(vb, bb);
        const before = JSON.stringify([a, b]);
        const shared = ba.filter((x) => bb.includes(x));
        const expected = histogramOf([...va, ...vb], shared);
        const m = mergeHistograms(a, b);
        expect(m.buckets).toEqual(expected.buckets);
        expect(m.count).toBe(expected.count);
        expect(m.sum).toBe(expected.sum);
        if (va.length > 0 && vb.length > 0) {
          expect(m.min).toBe(expected.min);
          expect(m.max).toBe(expected.max);
        }
        expect(needsRebucketing(a, b)).toBe(JSON.stringify(ba) !== JSON.stringify(bb));
        expect(JSON.stringify([a, b])).toBe(before); // inputs not modified
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });

  it('boundaries of equal length but different values re-bucket; a prefix of the other too', () => {
    expect(needsRebucketing(histogramOf([], [1, 2]), histogramOf([], [1, 3]))).toBe(true);
    expect(needsRebucketing(histogramOf([], [1, 2]), histogramOf([], [1, 2, 3]))).toBe(true);
    expect(needsRebucketing(histogramOf([], [1, 2]), histogramOf([], [1, 2]))).toBe(false);
  });
});

describe('min, max, sum of merged points', () => {
  it('an empty point takes the other side, a point that does not know its own makes it unknown', () => {
    expect(mergedMin({ count: 0, min: 1 }, { count: 2, min: 5 })).toBe(5);
    expect(mergedMin({ count: 2, min: 5 }, { count: 0, min: 1 })).toBe(5);
    expect(mergedMin({ count: 1, min: 5 }, { count: 1, min: 3 })).toBe(3);
    expect(mergedMin({ count: 1 }, { count: 1, min: 3 })).toBeUndefined();
    expect(mergedMin({ count: 1, min: 3 }, { count: 1 })).toBeUndefined();
    expect(mergedMax({ count: 0, max: 9 }, { count: 2, max: 5 })).toBe(5);
    expect(mergedMax({ count: 2, max: 5 }, { count: 0, max: 9 })).toBe(5);
    expect(mergedMax({ count: 1, max: 5 }, { count: 1, max: 7 })).toBe(7);
    expect(mergedMax({ count: 1 }, { count: 1, max: 7 })).toBeUndefined();
    expect(mergedMax({ count: 1, max: 7 }, { count: 1 })).toBeUndefined();
    expect(mergedSum({ sum: 1 }, { sum: 2 })).toBe(3);
    expect(mergedSum({}, { sum: 2 })).toBeUndefined();
    expect(mergedSum({ sum: 2 }, {})).toBeUndefined();
  });
});
