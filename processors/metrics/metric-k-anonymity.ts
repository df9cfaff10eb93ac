import { ValueType } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { DataPoint, ExponentialHistogram, Histogram, MetricData } from '@opentelemetry/sdk-metrics';
import { attributeSetKey } from './metric-attribute-key';
import { SUPPRESSED_ATTRIBUTE } from '../../engine/vocabulary';
import { compareHrTime, mergeTwoPoints } from './metric-point-merge';
import type { MergeCounts } from './metric-point-merge';

/** The attributes of the point small groups are folded into. */
const SUPPRESSED_ATTRIBUTES = Object.freeze({ [SUPPRESSED_ATTRIBUTE]: true });
const SUPPRESSED_KEY = attributeSetKey(SUPPRESSED_ATTRIBUTES);

/** Cumulative metrics: every series ever folded (they stay folded), and the fold's start time. */
interface FoldState {
  /** Every series ever folded. */
  members: Set<string>;
  /** The series folded at the last export. */
  present: Set<string>;
  startTime: HrTime | undefined;
  lastEnd: HrTime | undefined;
}

/** The size of a point's group: a histogram's count, a monotonic integer counter's value; undefined = never folded. */
function groupSize(metric: MetricData, p: DataPoint<unknown>): number | undefined {
  switch (metric.dataPointType) {
    case DataPointType.HISTOGRAM:
      return (p.value as Histogram).count;
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return (p.value as ExponentialHistogram).count;
    case DataPointType.SUM:
      return metric.isMonotonic && metric.descriptor.valueType === ValueType.INT ? (p.value as number) : undefined;
    default:
      return undefined;
  }
}

/**
 * `metrics.kAnonymity: k`: in each metric, histogram points (explicit or exponential) whose `count` is
 * below k and monotonic integer counter points whose value is below k are folded into one point with
 * the single attribute `otel_privacy.suppressed: true` (merged like colliding series), so the metric's
 * totals stay exact and no small group is exposed with its attributes. Gauges, up-down counters and
 * floating-point counters are not folded (their values are not group sizes).
 *
 * Cumulative temporality: a series once folded stays in the fold at every later export, even after it
 * reaches k, so the fold's cumulative value never goes down and nothing is counted twice. Only if a
 * folded series stops being reported at all is the fold's `startTime` moved to the previous export's
 * end (a reset, as the data model prescribes) instead of reporting a decrease. Delta temporality needs
 * no state. State is kept per (resource, scope, metric).
 */
export class KAnonymityFolder {
  private readonly state = new WeakMap<Resource, Map<string, FoldState>>();

  constructor(
    /** The threshold k (≥ 2). */
    readonly k: number,
  ) {}

  /** The points of `metric` with small groups folded; `points` itself when nothing is folded and no state changes. */
  fold(
    resource: Resource,
    scope: InstrumentationScope,
    metric: MetricData,
    points: readonly DataPoint<unknown>[],
    counts?: MergeCounts & { suppressed: number },
  ): readonly DataPoint<unknown>[] {
    if (metric.dataPointType === DataPointType.GAUGE) return points;
    if (
      metric.dataPointType === DataPointType.SUM &&
      (!metric.isMonotonic || metric.descriptor.valueType !== ValueType.INT)
    )
      return points;
    const cumulative = metric.aggregationTemporality === AggregationTemporality.CUMULATIVE;
    const sticky = cumulative ? this.stateOf(resource, scope, metric)?.members : undefined;
    const kept: DataPoint<unknown>[] = [];
    let fold: DataPoint<unknown> | undefined;
    const foldedKeys = cumulative ? new Set<string>() : undefined;
    let latestEnd: HrTime | undefined;
    for (const p of points) {
      if (latestEnd === undefined || compareHrTime(p.endTime, latestEnd) > 0) latestEnd = p.endTime;
      const size = groupSize(metric, p);
      // A fold made upstream (e.g. a second wrapper) joins this one instead of becoming a duplicate series.
      const isFold = p.attributes[SUPPRESSED_ATTRIBUTE] === true && attributeSetKey(p.attributes) === SUPPRESSED_KEY;
      const key = sticky !== undefined && !isFold ? attributeSetKey(p.attributes) : undefined;
      if (!isFold && (size === undefined || size >= this.k) && (key === undefined || !sticky!.has(key))) {
        kept.push(p);
        continue;
      }
      if (!isFold) {
        foldedKeys?.add(key ?? attributeSetKey(p.attributes));
        if (counts !== undefined) counts.suppressed++;
      }
      fold =
        fold === undefined
          ? { ...p, attributes: SUPPRESSED_ATTRIBUTES }
          : mergeTwoPoints(metric.dataPointType, fold, p, SUPPRESSED_ATTRIBUTES, counts);
    }
    if (cumulative) fold = this.cumulativeStart(resource, scope, metric, foldedKeys!, fold, latestEnd);
    if (fold === undefined) return kept.length === points.length ? points : kept;
    kept.push(fold);
    return kept;
  }

  private static id(scope: InstrumentationScope, metric: MetricData): string {
    return `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}\u0000${metric.descriptor.name}`;
  }

  private stateOf(resource: Resource, scope: InstrumentationScope, metric: MetricData): FoldState | undefined {
    return this.state.get(resource)?.get(KAnonymityFolder.id(scope, metric));
  }

  /** Cumulative: the fold with a start time that never lets its value decrease without a reset; membership only grows. */
  private cumulativeStart(
    resource: Resource,
    scope: InstrumentationScope,
    metric: MetricData,
    keys: Set<string>,
    fold: DataPoint<unknown> | undefined,
    end: HrTime | undefined,
  ): DataPoint<unknown> | undefined {
    let perResource = this.state.get(resource);
    if (perResource === undefined) this.state.set(resource, (perResource = new Map()));
    const id = KAnonymityFolder.id(scope, metric);
    const prev = perResource.get(id);
    if (prev === undefined && fold === undefined) return undefined;
    let startTime = prev?.startTime;
    if (prev !== undefined) {
      let left = false;
      for (const k of prev.present) {
        if (!keys.has(k)) {
          left = true;
          break;
        }
      }
      if (left) startTime = prev.lastEnd;
    }
    if (startTime === undefined) startTime = fold?.startTime;
    // Members that stopped being reported are remembered too: if they come back, they rejoin the fold.
    const members = prev?.members ?? new Set<string>();
    for (const k of keys) members.add(k);
    perResource.set(id, { members, present: keys, startTime, lastEnd: end ?? prev?.lastEnd });
    return fold === undefined || startTime === undefined ? fold : { ...fold, startTime };
  }
}
