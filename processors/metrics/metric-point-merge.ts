import type { HrTime } from '@opentelemetry/api';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, ExponentialHistogram, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { attributeSetKey } from './metric-attribute-key';
import { mergeExponentialHistograms } from './metric-exponential-histogram-merge';
import { mergeHistograms, needsRebucketing } from './metric-histogram-merge';

/** What merging did, for the exporter's statistics. */
export interface MergeCounts {
  /** Points merged into another point of the same series (after redaction). */
  merged: number;
  /** Explicit-bucket histogram merges that re-bucketed onto common boundaries. */
  rebucketed: number;
}

/** Negative when `a` is earlier than `b`. */
export function compareHrTime(a: HrTime, b: HrTime): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}

const earlier = (a: HrTime, b: HrTime): HrTime => (compareHrTime(a, b) <= 0 ? a : b);
const later = (a: HrTime, b: HrTime): HrTime => (compareHrTime(a, b) >= 0 ? a : b);

/**
 * Two points of one series of `metric` as one point, by the metric's point type:
 * - sums (monotonic or not, delta or cumulative): values added; the merged interval spans both
 *   (earliest start, latest end), so a cumulative series starts when its oldest part started;
 * - gauges: the point with the latest `endTime` (the later one on a tie, as the SDK keeps the last
 *   observation);
 * - explicit-bucket histograms: `mergeHistograms` (bucket-wise; re-bucketed exactly onto common
 *   boundaries when they differ); exponential histograms: `mergeExponentialHistograms` (scales aligned).
 * `attributes` becomes the merged point's attributes. Inputs are not modified.
 */
export function mergeTwoPoints(
  type: DataPointType,
  a: DataPoint<unknown>,
  b: DataPoint<unknown>,
  attributes: DataPoint<unknown>['attributes'],
  counts?: MergeCounts,
): DataPoint<unknown> {
  if (type === DataPointType.GAUGE) {
    const keep = compareHrTime(b.endTime, a.endTime) >= 0 ? b : a;
    return { startTime: keep.startTime, endTime: keep.endTime, attributes, value: keep.value };
  }
  const startTime = earlier(a.startTime, b.startTime);
  const endTime = later(a.endTime, b.endTime);
  switch (type) {
    case DataPointType.SUM:
      return { startTime, endTime, attributes, value: (a.value as number) + (b.value as number) };
    case DataPointType.HISTOGRAM: {
      const ha = a.value as Histogram;
      const hb = b.value as Histogram;
      if (counts !== undefined && needsRebucketing(ha, hb)) counts.rebucketed++;
      return { startTime, endTime, attributes, value: mergeHistograms(ha, hb) };
    }
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return {
        startTime,
        endTime,
        attributes,
        value: mergeExponentialHistograms(a.value as ExponentialHistogram, b.value as ExponentialHistogram),
      };
    default:
      throw new TypeError(`cannot merge points of unknown data point type ${String(type)}`);
  }
}

/**
 * The points of one metric with series that collide (equal attribute sets, typically after redaction)
 * merged into one point per series, in the order each series first appears. Returns `points` itself
 * when no two collide (the common case costs one key per point).
 */
export function mergeCollidingPoints(
  metric: MetricData,
  points: readonly DataPoint<unknown>[],
  counts?: MergeCounts,
): readonly DataPoint<unknown>[] {
  if (points.length < 2) return points;
  const index = new Map<string, number>();
  let out: DataPoint<unknown>[] | undefined;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const key = attributeSetKey(p.attributes);
    const at = index.get(key);
    if (at === undefined) {
      if (out !== undefined) {
        index.set(key, out.length);
        out.push(p);
      } else index.set(key, i);
      continue;
    }
    if (out === undefined) out = points.slice(0, i);
    out[at] = mergeTwoPoints(metric.dataPointType, out[at]!, p, out[at]!.attributes, counts);
    if (counts !== undefined) counts.merged++;
  }
  return out ?? points;
}
