import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type {
  AggregationOption,
  AggregationTemporality,
  DataPoint,
  InstrumentType,
  MetricData,
  MetricDescriptor,
  PushMetricExporter,
  ResourceMetrics,
  ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { CONSENT_SUPPRESSED_ATTRIBUTE } from '../../engine/vocabulary';
import { redactTextField } from '../../engine/otlp-fields';
import type { Policy } from '../../policy/policy';
import { KAnonymityFolder } from './metric-k-anonymity';
import { sanitizePointAttributes } from './metric-point-attributes';
import { minimizeMetricAttributes } from './consent-minimize-metric';
import { mergeCollidingPoints } from './metric-point-merge';
import { sanitizeResource } from '../resource/sanitize-resource';
import { sanitizeScope } from '../resource/sanitize-scope';

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
  /**
   * Metrics dropped whole because the value scanner found something in the metric's name and `values.action`
   * drops such values (the finding is also counted in `policy.counters.findings`).
   */
  droppedForName: number;
}

/**
 * A `PushMetricExporter` that applies a privacy policy to every export before handing it to the
 * exporter it wraps, for metrics collected with or without `privacyViews`:
 *
 * - Resource: `sanitizeResource(policy, resource)` (the `resource` rules, once per resource object;
 *   adds `privacy.policy.hash`). Meter scope: `sanitizeScope(policy, 'metrics', scope)`.
 * - Metric name, description and unit: through the value scanner; a metric whose name must be dropped
 *   (`values.action: drop` and a finding) is dropped whole and counted in `stats.droppedForName`.
 * - Point attributes: the `metrics` rules for the meter's scope (`policy.sanitizer('metrics', scope)`:
 *   top level, `metrics` block, matching `scopes` blocks). Attribute sets the views already sanitized are
 *   not hashed again (only keys a scope block decides differently are decided again); the SDK's
 *   `otel.metric.overflow` series is kept.
 * - Series that collide after redaction are merged, never exported twice: sums add, gauges keep the
 *   latest point, explicit histograms merge bucket-wise (different boundaries are re-bucketed exactly onto
 *   the boundaries both share), exponential histograms merge after aligning scales.
 * - `metrics.kAnonymity: k`: small groups are folded into one `otel_privacy.suppressed: true` point per
 *   metric (see `KAnonymityFolder`).
 * - Consent (`consent`): points whose attributes name an opted-out subject are not exported (`drop`, counted) or
 *   lose their identifying keys (`minimize`); the series `privacyViews` recorded opted-out measurements under
 *   (`otel_privacy.consent.suppressed`) is never exported.
 * - Fail closed: a metric whose sanitizing throws is dropped (the rest of the export goes on) and counted
 *   with `policy.counters.recordFailure('metrics', …)`.
 *
 * `selectAggregation` and `selectAggregationTemporality` are the wrapped exporter's own (absent when it has
 * none, so the reader uses its defaults); `forceFlush` and `shutdown` are forwarded. The rules are looked
 * up from the policy at every export (hot reload applies from the next export).
 */
export class PrivacyMetricExporter implements PushMetricExporter {
  /** Counts of what the wrapper changed. */
  readonly stats: PrivacyMetricExportStats = {
    merged: 0,
    rebucketed: 0,
    suppressed: 0,
    failedMetrics: 0,
    droppedForName: 0,
  };
  /** Per instrument descriptor (the SDK reuses it across collections) and compiled rules: the sanitized copy. */
  private readonly descriptors = new WeakMap<object, WeakMap<MetricDescriptor, MetricDescriptor | null>>();
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
      let scope: ScopeMetrics['scope'];
      try {
        // a meter's scope is shared by the points of every user group: the strictest group's rules (`userGroups`)
        const groups = this.policy.compiled.userGroups;
        scope = sanitizeScope(this.policy, 'metrics', sm.scope, groups === undefined ? undefined : groups.policy(0));
      } catch (err) {
        this.stats.failedMetrics += sm.metrics.length;
        this.policy.counters.recordFailure('metrics', 'the metrics of a meter were dropped', err);
        continue;
      }
      for (const m of sm.metrics) {
        try {
          const clean = this.sanitizeMetric(resource, sm, m);
          if (clean !== undefined) out.push(clean);
        } catch (err) {
          this.stats.failedMetrics++;
          this.policy.counters.recordFailure('metrics', 'a metric was dropped', err);
        }
      }
      if (out.length > 0) scopeMetrics.push({ scope, metrics: out });
    }
    return { resource, scopeMetrics };
  }

  /**
   * The descriptor with name, description and unit through the value scanner (their class in the OTLP field
   * inventory), built once per descriptor object and compiled rules; `null` when the name must be dropped.
   */
  private descriptor(scopeName: string, d: MetricDescriptor): MetricDescriptor | null {
    const generation = this.policy.sanitizer('metrics', scopeName);
    let perRules = this.descriptors.get(generation);
    if (perRules === undefined) this.descriptors.set(generation, (perRules = new WeakMap()));
    let out = perRules.get(d);
    if (out !== undefined) return out;
    const scan = (text: string): string | undefined => this.policy.scanText(text);
    const name = redactTextField('Metric.name', d.name, scan);
    if (name === undefined) out = null;
    else {
      const description = redactTextField('Metric.description', d.description ?? '', scan) ?? '';
      const unit = redactTextField('Metric.unit', d.unit ?? '', scan) ?? '';
      out = name === d.name && description === d.description && unit === d.unit ? d : { ...d, name, description, unit };
    }
    // A name with a finding is scanned (and counted) again at every export: only clean outcomes are cached.
    if (out === d) perRules.set(d, out);
    return out;
  }

  /** The sanitized metric, or `undefined` (counted) when its name must be dropped. */
  private sanitizeMetric(resource: Resource, sm: ScopeMetrics, metric: MetricData): MetricData | undefined {
    const descriptor = this.descriptor(sm.scope.name, metric.descriptor);
    if (descriptor === null) {
      this.stats.droppedForName++;
      return undefined;
    }
    const scopeName = sm.scope.name;
    const input = metric.dataPoints as readonly DataPoint<unknown>[];
    let points: readonly DataPoint<unknown>[] = input;
    const gate = this.policy.compiled.consent;
    let suppressed = false;
    for (let i = 0; i < input.length; i++) {
      const p = input[i]!;
      if (p.attributes[CONSENT_SUPPRESSED_ATTRIBUTE] === true) {
        // recorded by the views for opted-out subjects (counted there): never exported
        suppressed = true;
        continue;
      }
      let optedOut = false;
      if (gate !== undefined && gate.attributesOptedOut(p.attributes)) {
        if (gate.action === 'drop') {
          this.policy.counters.consentSuppressed.metrics++;
          suppressed = true;
          continue;
        }
        optedOut = true;
      }
      let attributes = sanitizePointAttributes(this.policy, scopeName, p.attributes);
      if (optedOut) {
        attributes = { ...attributes };
        const rules = this.policy.compiled.forItem(p.attributes).sanitizer('metrics', scopeName).rules;
        minimizeMetricAttributes(this.policy, gate!, rules, p.attributes, attributes);
      }
      if (attributes === p.attributes) continue;
      if (points === input) points = input.slice();
      (points as DataPoint<unknown>[])[i] = { ...p, attributes };
    }
    if (suppressed) {
      points = points.filter((p, i) => {
        const a = input[i]!.attributes;
        return !(a[CONSENT_SUPPRESSED_ATTRIBUTE] === true || (gate?.action === 'drop' && gate.attributesOptedOut(a)));
      });
      if (points.length === 0) return undefined;
    }
    // Unchanged attribute sets are the SDK's own series objects (views' output or its overflow marker), distinct
    // by construction: collisions need at least one set the policy changed here.
    if (points !== input) points = mergeCollidingPoints(metric, points, this.stats);
    const k = this.policy.compiled.metrics.kAnonymity;
    if (k !== undefined) points = this.folder(k).fold(resource, sm.scope, metric, points, this.stats);
    return { ...metric, descriptor, dataPoints: points } as MetricData;
  }

  private folder(k: number): KAnonymityFolder {
    let f = this.folders.get(k);
    if (f === undefined) this.folders.set(k, (f = new KAnonymityFolder(k)));
    return f;
  }
}
