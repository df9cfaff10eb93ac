import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type {
  AggregationOption,
  AggregationTemporality,
  DataPoint,
  InstrumentType,
  MetricData,
  PushMetricExporter,
  ResourceMetrics,
  ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import type { Policy } from '../../policy/policy';
import { KAnonymityFolder } from './metric-k-anonymity';
import { sanitizePointAttributes } from './metric-point-attributes';
import { mergeCollidingPoints } from './metric-point-merge';
import { sanitizeResource } from '../resource/sanitize-resource';

/** Options of `PrivacyMetricExporter`. */
export interface PrivacyMetricExporterOptions {
  /** The compiled policy to apply (`metrics` rules, `resource` rules, `metrics.kAnonymity`). */
  readonly policy: Policy;
  /** The exporter that receives only sanitized metrics (OTLP, console, in-memory, …). */
  readonly exporter: PushMetricExporter;
}

/** What `PrivacyMetricExporter` did so far (points, not values: nothing here identifies anyone). */
export interface PrivacyMetricExportStats {
  /** Points merged into another point of the same metric because their attributes became equal after redaction. */
  merged: number;
  /** Explicit-bucket histogram merges that re-bucketed onto the boundaries both points share. */
  rebucketed: number;
  /** Points folded into the `otel_privacy.suppressed` point by `metrics.kAnonymity`. */
  suppressed: number;
  /** Metrics dropped whole because sanitizing them threw (also in `policy.counters.dropped.metrics.failed`). */
  failedMetrics: number;
}

/**
 * A `PushMetricExporter` that applies a privacy policy to every export before handing it to the
 * exporter it wraps, for metrics collected with or without `privacyViews`:
 *
 * - Resource: `sanitizeResource(policy, resource)` (the `resource` rules, once per resource object;
 *   adds `privacy.policy.hash`).
 * - Point attributes: the `metrics` rules for the meter's scope (`policy.sanitizer('metrics', scope)`:
 *   top level, `metrics` block, matching `scopes` blocks). Attribute sets the views already sanitized are
 *   not hashed again (only keys a scope block decides differently are decided again); the SDK's
 *   `otel.metric.overflow` series is kept.
 * - Series that collide after redaction are merged, never exported twice: sums add, gauges keep the
 *   latest point, explicit histograms merge bucket-wise (different boundaries are re-bucketed exactly onto
 *   the boundaries both share), exponential histograms merge after aligning scales.
 * - `metrics.kAnonymity: k`: small groups are folded into one `otel_privacy.suppressed: true` point per
 *   metric (see `KAnonymityFolder`).
 * - Fail closed: a metric whose sanitizing throws is dropped (the rest of the export goes on) and counted
 *   with `policy.counters.recordFailure('metrics', …)`.
 *
 * `selectAggregation` and `selectAggregationTemporality` are the wrapped exporter's own (absent when it has
 * none, so the reader uses its defaults); `forceFlush` and `shutdown` are forwarded. The rules are looked
 * up from the policy at every export (hot reload applies from the next export).
 */
export class PrivacyMetricExporter implements PushMetricExporter {
  /** Counts of what the wrapper changed. */
  readonly stats: PrivacyMetricExportStats = { merged: 0, rebucketed: 0, suppressed: 0, failedMetrics: 0 };
  /** The wrapped exporter's aggregation selector, if it has one. */
  readonly selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;
  /** The wrapped exporter's temporality selector, if it has one. */
  readonly selectAggregationTemporality?: (instrumentType: InstrumentType) => AggregationTemporality;

  private readonly policy: Policy;
  private readonly exporter: PushMetricExporter;
  private readonly folders = new Map<number, KAnonymityFolder>();

  constructor(options: PrivacyMetricExporterOptions) {
    if (!options?.policy)
      throw new TypeError('PrivacyMetricExporter: options.policy is required (loadPolicy/definePolicy/defaultPolicy)');
    const exporter = options.exporter;
    if (!exporter || typeof exporter.export !== 'function')
      throw new TypeError(
        'PrivacyMetricExporter: options.exporter must be a PushMetricExporter (an object with export())',
      );
    this.policy = options.policy;
    this.exporter = exporter;
    if (typeof exporter.selectAggregation === 'function')
      this.selectAggregation = exporter.selectAggregation.bind(exporter);
    if (typeof exporter.selectAggregationTemporality === 'function')
      this.selectAggregationTemporality = exporter.selectAggregationTemporality.bind(exporter);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    let clean: ResourceMetrics;
    try {
      clean = this.sanitize(metrics);
    } catch (err) {
      // Only reachable if the export's structure itself is unusable: nothing is forwarded.
      this.policy.counters.recordFailure('metrics', 'an export was dropped', err);
      resultCallback({ code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) });
      return;
    }
    this.exporter.export(clean, resultCallback);
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  /** The export as the wrapped exporter receives it; the input is not modified. */
  private sanitize(metrics: ResourceMetrics): ResourceMetrics {
    const resource = sanitizeResource(this.policy, metrics.resource);
    const scopeMetrics: ScopeMetrics[] = [];
    for (const sm of metrics.scopeMetrics) {
      const out: MetricData[] = [];
      for (const m of sm.metrics) {
        try {
          out.push(this.sanitizeMetric(resource, sm, m));
        } catch (err) {
          this.stats.failedMetrics++;
          this.policy.counters.recordFailure('metrics', 'a metric was dropped', err);
        }
      }
      if (out.length > 0) scopeMetrics.push({ scope: sm.scope, metrics: out });
    }
    return { resource, scopeMetrics };
  }

  private sanitizeMetric(resource: Resource, sm: ScopeMetrics, metric: MetricData): MetricData {
    const scopeName = sm.scope.name;
    const input = metric.dataPoints as readonly DataPoint<unknown>[];
    let points: readonly DataPoint<unknown>[] = input;
    for (let i = 0; i < input.length; i++) {
      const p = input[i]!;
      const attributes = sanitizePointAttributes(this.policy, scopeName, p.attributes);
      if (attributes === p.attributes) continue;
      if (points === input) points = input.slice();
      (points as DataPoint<unknown>[])[i] = { ...p, attributes };
    }
    // Unchanged attribute sets are the SDK's own series objects (views' output or its overflow marker), distinct
    // by construction: collisions need at least one set the policy changed here.
    if (points !== input) points = mergeCollidingPoints(metric, points, this.stats);
    const k = this.policy.compiled.metrics.kAnonymity;
    if (k !== undefined) points = this.folder(k).fold(resource, sm.scope, metric, points, this.stats);
    return { ...metric, dataPoints: points } as MetricData;
  }

  private folder(k: number): KAnonymityFolder {
    let f = this.folders.get(k);
    if (f === undefined) this.folders.set(k, (f = new KAnonymityFolder(k)));
    return f;
  }
}
