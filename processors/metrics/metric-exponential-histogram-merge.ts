import type { ExponentialHistogram } from '@opentelemetry/sdk-metrics';
import { mergedMax, mergedMin, mergedSum } from './metric-histogram-merge';

/** The SDK's default maximum number of buckets per range (`maxSize` of the exponential aggregation). */
export const DEFAULT_MAX_EXPONENTIAL_BUCKETS = 160;

type Buckets = ExponentialHistogram['positive'];

/** Lowest and highest bucket index holding a count, or undefined for no counts. */
function indexRange(b: Buckets, shift: number): [number, number] | undefined {
  let lo: number | undefined;
  let hi = 0;
  const d = 2 ** shift;
  for (let i = 0; i < b.bucketCounts.length; i++) {
    if (b.bucketCounts[i] === 0) continue;
    const idx = Math.floor((b.offset + i) / d);
    if (lo === undefined) lo = idx;
    hi = idx;
  }
  return lo === undefined ? undefined : [lo, hi];
}

function union(a: [number, number] | undefined, b: [number, number] | undefined): [number, number] | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
}

/** Both bucket ranges at a scale lowered by `shiftA`/`shiftB` (each bucket index divided by 2^shift), added. */
function addRanges(
  a: Buckets,
  shiftA: number,
  b: Buckets,
  shiftB: number,
  range: [number, number] | undefined,
): Buckets {
  if (range === undefined) return { offset: 0, bucketCounts: [] };
  const [lo, hi] = range;
  const counts = new Array<number>(hi - lo + 1).fill(0);
  const add = (x: Buckets, shift: number) => {
    const d = 2 ** shift;
    for (let i = 0; i < x.bucketCounts.length; i++) {
      const c = x.bucketCounts[i]!;
      if (c !== 0) counts[Math.floor((x.offset + i) / d) - lo]! += c;
    }
  };
  add(a, shiftA);
  add(b, shiftB);
  return { offset: lo, bucketCounts: counts };
}

/**
 * Two base-2 exponential histogram points of one series merged (the OpenTelemetry data model's
 * merge): both are brought to the smaller scale (bucket index `i` at scale `s` is index `i >> (s − s')`
 * at scale `s'`, exact because buckets nest), then lowered further while either range would need more
 * than `maxSize` buckets, then counts are added bucket by bucket; `zeroCount`, `count`, `sum` added,
 * `min`/`max` combined. Inputs are not modified.
 */
export function mergeExponentialHistograms(
  a: ExponentialHistogram,
  b: ExponentialHistogram,
  maxSize = DEFAULT_MAX_EXPONENTIAL_BUCKETS,
): ExponentialHistogram {
  const limit = Math.max(
    maxSize,
    a.positive.bucketCounts.length,
    a.negative.bucketCounts.length,
    b.positive.bucketCounts.length,
    b.negative.bucketCounts.length,
  );
  // A point without buckets (only zeros, or empty) does not lower the scale of the other.
  const scaleOf = (h: ExponentialHistogram) =>
    h.positive.bucketCounts.some((c) => c !== 0) || h.negative.bucketCounts.some((c) => c !== 0) ? h.scale : Infinity;
  let scale = Math.min(scaleOf(a), scaleOf(b));
  if (scale === Infinity) scale = Math.min(a.scale, b.scale);
  let pos: [number, number] | undefined;
  let neg: [number, number] | undefined;
  for (;;) {
    const sa = a.scale - scale;
    const sb = b.scale - scale;
    pos = union(indexRange(a.positive, sa), indexRange(b.positive, sb));
    neg = union(indexRange(a.negative, sa), indexRange(b.negative, sb));
    const width = Math.max(pos ? pos[1] - pos[0] + 1 : 0, neg ? neg[1] - neg[0] + 1 : 0);
    if (width <= limit) break;
    scale--;
  }
  const sa = a.scale - scale;
  const sb = b.scale - scale;
  return {
    count: a.count + b.count,
    sum: mergedSum(a, b),
    scale,
    zeroCount: a.zeroCount + b.zeroCount,
    positive: addRanges(a.positive, sa, b.positive, sb, pos),
    negative: addRanges(a.negative, sa, b.negative, sb, neg),
    min: mergedMin(a, b),
    max: mergedMax(a, b),
  };
}
