import type { Histogram } from '@opentelemetry/sdk-metrics';

/** `min` of merged points: undefined when a non-empty point does not know its own. */
export function mergedMin(a: { count: number; min?: number }, b: { count: number; min?: number }): number | undefined {
  if (a.count === 0) return b.min;
  if (b.count === 0) return a.min;
  return a.min === undefined || b.min === undefined ? undefined : Math.min(a.min, b.min);
}

/** `max` of merged points: undefined when a non-empty point does not know its own. */
export function mergedMax(a: { count: number; max?: number }, b: { count: number; max?: number }): number | undefined {
  if (a.count === 0) return b.max;
  if (b.count === 0) return a.max;
  return a.max === undefined || b.max === undefined ? undefined : Math.max(a.max, b.max);
}

/** `sum` of merged points: undefined when either does not have one (the SDK omits it for some instruments). */
export function mergedSum(a: { sum?: number }, b: { sum?: number }): number | undefined {
  return a.sum === undefined || b.sum === undefined ? undefined : a.sum + b.sum;
}

function sameBoundaries(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The bucket counts of `h` on `boundaries`, a subset of its own: every bucket `(l, u]` of `h` lies
 * inside exactly one coarser bucket (the first whose upper boundary is ≥ u), so this is exact.
 */
function coarsen(h: Histogram, boundaries: readonly number[]): number[] {
  const out = new Array<number>(boundaries.length + 1).fill(0);
  const own = h.buckets.boundaries;
  let j = 0;
  for (let i = 0; i < h.buckets.counts.length; i++) {
    const upper = i < own.length ? own[i]! : Infinity;
    while (j < boundaries.length && boundaries[j]! < upper) j++;
    out[j]! += h.buckets.counts[i]!;
  }
  return out;
}

/**
 * Two explicit-bucket histogram points of one series merged: counts bucket by bucket, `count` and
 * `sum` added, `min`/`max` combined. Points with different boundaries are re-bucketed exactly onto the
 * boundaries both have (coarser; no bucket is split or guessed; a single bucket when they share none).
 * Inputs are not modified.
 */
export function mergeHistograms(a: Histogram, b: Histogram): Histogram {
  let boundaries: number[];
  let counts: number[];
  if (sameBoundaries(a.buckets.boundaries, b.buckets.boundaries)) {
    boundaries = a.buckets.boundaries.slice();
    counts = a.buckets.counts.map((c, i) => c + (b.buckets.counts[i] ?? 0));
  } else {
    const inB = new Set(b.buckets.boundaries);
    boundaries = a.buckets.boundaries.filter((x) => inB.has(x));
    const ca = coarsen(a, boundaries);
    const cb = coarsen(b, boundaries);
    counts = ca.map((c, i) => c + cb[i]!);
  }
  return {
    buckets: { boundaries, counts },
    count: a.count + b.count,
    sum: mergedSum(a, b),
    min: mergedMin(a, b),
    max: mergedMax(a, b),
  };
}

/** True when merging `a` and `b` re-buckets (their boundaries differ). */
export function needsRebucketing(a: Histogram, b: Histogram): boolean {
  return !sameBoundaries(a.buckets.boundaries, b.buckets.boundaries);
}
