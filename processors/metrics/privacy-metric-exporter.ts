import { privacyDiag } from '../../engine/diagnostic-text';
import { printOnlySummary } from '../../engine/inspect-summary';
import type { Attributes, HrTime } from '@opentelemetry/api';
import { ValueType } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type {
  AggregationOption,
  AggregationTemporality,
  DataPoint,
  ExponentialHistogram,
  Histogram,
  InstrumentType,
  MetricData,
  MetricDescriptor,
  PushMetricExporter,
  ResourceMetrics,
  ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { CONSENT_SUPPRESSED_ATTRIBUTE } from '../../engine/vocabulary';
import type { ConsentGate } from '../../engine/consent/consent-gate';
import type { OptedOutValues } from '../../engine/consent/opted-out-values';
import type { SubjectMask } from '../../engine/consent/subject-mask';
import { sanitizedUnder } from '../../engine/sanitized-mark';
import { clockTime, isPlausibleTime, laterTime } from '../../engine/plausible-time';
import { redactTextField } from '../../engine/otlp-fields';
import { asFieldText } from '../../engine/otlp-field-types';
import { MASK } from '../../engine/attribute-redactor';
import type { Policy } from '../../policy/policy';
import { KAnonymityFolder } from './metric-k-anonymity';
import { sanitizePointAttributes } from './metric-point-attributes';
import { minimizeMetricAttributes } from './consent-minimize-metric';
import { mergeCollidingPoints } from './metric-point-merge';
import { sanitizeResource } from '../resource/sanitize-resource';
import { sanitizeScope } from '../resource/sanitize-scope';
import { redactDottedName } from '../resource/redact-dotted-name';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import {
  exponentialBucketKind,
  identifierValueKind,
  metricNumberCut,
  metricValueGuard,
  numberChecks,
} from './metric-value-guard';
import type { IdentifierValueKind, MetricValueGuard, NumberChecks } from './metric-value-guard';

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
  /**
   * Points not exported because a recorded number looked like an identifier (a card or phone number as a value,
   * sum, minimum, maximum or bucket boundary), including every later point of such an instrument (also in
   * `policy.counters.identifierValues`).
   */
  identifierValues: number;
  /**
   * Numbers (a value, sum, minimum, maximum or bucket boundary) whose significant digits spelled a card number
   * (`4111.111111111111`), or a phone number under a phone instrument (`202555.0143`), exported rounded to 6
   * significant digits (`4111.11`).
   */
  roundedIdentifierDigits: number;
}

/** The SDK's instrument types: the only values of a descriptor's `type` passed on. */
const INSTRUMENT_TYPES: ReadonlySet<unknown> = new Set([
  'COUNTER',
  'GAUGE',
  'HISTOGRAM',
  'UP_DOWN_COUNTER',
  'OBSERVABLE_COUNTER',
  'OBSERVABLE_GAUGE',
  'OBSERVABLE_UP_DOWN_COUNTER',
]);

/** An advice the SDK gave with nothing in it: passed on as it is (any other advice is the application's). */
const emptyAdvice = (v: unknown): boolean => typeof v === 'object' && v !== null && Object.keys(v).length === 0;

/**
 * The descriptor fields passed on besides OTLP's three texts, each with the check its value must pass to be passed on
 * as it is: a numeric value type, an SDK instrument type and an empty advice. One list for `knownFieldsOnly` and
 * `passedOnDescriptor`, so the two cannot drift apart.
 */
const PASSED_ON_FIELDS: ReadonlyMap<string, (value: unknown) => boolean> = new Map([
  ['valueType', (v: unknown) => typeof v === 'number'],
  ['type', (v: unknown) => INSTRUMENT_TYPES.has(v)],
  ['advice', emptyAdvice],
]);

/**
 * Whether a descriptor holds only what is passed on as it is: OTLP's three texts and the `PASSED_ON_FIELDS` that pass
 * their checks. Anything else (the application's advice, a field a later SDK adds, a field an application put on a
 * hand-built descriptor) makes the descriptor a copy of the known fields only.
 */
function knownFieldsOnly(d: MetricDescriptor): boolean {
  const raw = d as unknown as Record<string, unknown>;
  for (const key of Object.keys(d)) {
    if (key === 'name' || key === 'description' || key === 'unit') continue;
    const check = PASSED_ON_FIELDS.get(key);
    if (check === undefined || !check(raw[key])) return false;
  }
  return true;
}

/**
 * The descriptor passed on: the sanitized texts and the `PASSED_ON_FIELDS` whose values pass their checks; a value type
 * that does not is `DOUBLE`, an advice always a new empty one (the SDK's advice, `explicitBucketBoundaries` and
 * attribute keys, is the application's, unchecked: an exporter that prints whole descriptors would show it, and OTLP
 * has no field for it). Other fields are not copied (allowlist): a field a later SDK adds reaches the inner exporter
 * only once the list names it.
 */
function passedOnDescriptor(d: MetricDescriptor, name: string, description: string, unit: string): MetricDescriptor {
  const raw = d as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { name, description, unit, valueType: ValueType.DOUBLE };
  for (const [key, check] of PASSED_ON_FIELDS) {
    if (!(key in raw)) continue;
    if (key === 'advice') out[key] = {};
    else if (check(raw[key])) out[key] = raw[key];
  }
  return out as unknown as MetricDescriptor;
}

/**
 * A `PushMetricExporter` that applies a privacy policy to every export before handing it to the
 * exporter it wraps, for metrics collected with or without `privacyViews`:
 *
 * - Resource: `sanitizeResource(policy, resource)` (the `resource` rules, once per resource object;
 *   adds `privacy.policy.hash`). Meter scope: `sanitizeScope(policy, 'metrics', scope)`.
 * - Metric name, description and unit: through the value scanner (the name also as `redactDottedName` reads it);
 *   a metric whose name must be dropped (`values.action: drop` and a finding) is dropped whole and counted in
 *   `stats.droppedForName`.
 * - Numbers: a point whose value (sum, gauge; histogram sum, min, max; bucket boundaries) is a card number, or a
 *   phone number under an instrument named for phones, or any point of an instrument named for an identifier, is
 *   not exported, nor is any later point of that instrument (see `metricValueGuard`); counted in
 *   `stats.identifierValues` and `policy.counters.identifierValues`.
 * - Point attributes: the `metrics` rules for the meter's scope (`policy.sanitizer('metrics', scope)`:
 *   top level, `metrics` block, matching `scopes` blocks). Attribute sets the views already sanitized are
 *   not hashed again (only keys a scope block decides differently are decided again); the SDK's
 *   `otel.metric.overflow` series is kept.
 * - Series that collide after redaction are merged, never exported twice: sums add, gauges keep the
 *   latest point, explicit histograms merge bucket-wise (different boundaries are re-bucketed exactly onto
 *   the boundaries both share), exponential histograms merge after aligning scales.
 * - `metrics.kAnonymity: k`: small groups are folded into one `otel_privacy.suppressed: true` point per
 *   metric (see `KAnonymityFolder`).
 * - Consent (`consent`): points whose attributes name an opted-out subject, by a subject key or by a value the
 *   policy found to be an opted-out subject's in this process anywhere in their text (the context a point was
 *   recorded in is gone at export), are not exported (`drop`, counted) or lose their identifying keys and have the
 *   subject masked (`minimize`); the series `privacyViews` recorded opted-out measurements under
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
    identifierValues: 0,
    roundedIdentifierDigits: 0,
  };
  /** Per raw instrument descriptor: what its numbers are checked for (`null`: nothing, they are quantities). */
  private readonly guards = new WeakMap<MetricDescriptor, MetricValueGuard | null>();
  /** Raw descriptors whose bucket boundaries were checked and found clean. */
  private readonly cleanBoundaries = new WeakSet<MetricDescriptor>();
  /** The number checks of the policy at the current export. */
  private checks: NumberChecks = numberChecks(undefined);
  /** Raw descriptors that recorded an identifier: every later point of theirs is dropped too. */
  private readonly flagged = new WeakSet<MetricDescriptor>();
  /** Per instrument descriptor (the SDK reuses it across collections) and compiled rules: the sanitized copy. */
  private readonly descriptors = new WeakMap<object, WeakMap<MetricDescriptor, MetricDescriptor | null>>();
  /** The wrapped exporter's aggregation selector, if it has one. */
  readonly selectAggregation?: (instrumentType: InstrumentType) => AggregationOption;
  /** The wrapped exporter's temporality selector, if it has one. */
  readonly selectAggregationTemporality?: (instrumentType: InstrumentType) => AggregationTemporality;

  private readonly policy: Policy;
  private readonly exporter: PushMetricExporter;
  private readonly folders = new Map<number, KAnonymityFolder>();
  /** Attribute sets of series not exported for consent, counted already. */
  private readonly counted = new WeakSet<Attributes>();
  /** Per attribute set: the opted-out subjects' values checked up to, and the mask when it names one. */
  private readonly subjects = new WeakMap<
    Attributes,
    { readonly seen: OptedOutValues; readonly version: number; readonly mask: SubjectMask | undefined }
  >();

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
    this.checks = numberChecks(this.policy.compiled.values); // follows a hot reload from the next export
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
    // A name, description or unit that is not a string: its text, or (objects, arrays) a mask for the name and
    // empty for the others; counted (`engine/otlp-field-types.ts`).
    const counts = this.policy.counters.invalidFields;
    const name = redactDottedName('Metric.name', asFieldText(d.name, counts, 'metrics', MASK), scan);
    if (name === undefined) out = null;
    else {
      const rawDescription = asFieldText(d.description ?? '', counts, 'metrics', '');
      const description = redactTextField('Metric.description', rawDescription, scan) ?? '';
      const unit = redactTextField('Metric.unit', asFieldText(d.unit ?? '', counts, 'metrics', ''), scan) ?? '';
      const clean = name === d.name && description === d.description && unit === d.unit;
      out = clean && knownFieldsOnly(d) ? d : passedOnDescriptor(d, name, description, unit);
      // A name with a finding is scanned (and counted) again at every export: only clean outcomes are cached.
      if (clean) perRules.set(d, out);
    }
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
    const numeric = this.dropIdentifierValues(metric, descriptor.name);
    if (numeric === undefined) return undefined;
    metric = numeric;
    const input = metric.dataPoints as readonly DataPoint<unknown>[];
    let points: readonly DataPoint<unknown>[] = input;
    const gate = this.policy.compiled.consent;
    const now = Date.now();
    let suppressed: Set<number> | undefined;
    for (let i = 0; i < input.length; i++) {
      const p = input[i]!;
      if (p.attributes[CONSENT_SUPPRESSED_ATTRIBUTE] === true) {
        // recorded by the views for opted-out subjects (counted there): never exported
        (suppressed ??= new Set()).add(i);
        continue;
      }
      let raw = p.attributes;
      let optedOut = false;
      let known: SubjectMask | undefined;
      if (gate !== undefined) {
        optedOut = gate.attributesOptedOut(raw);
        // the context the point was recorded in is gone here: its text naming an opted-out subject seen before
        if (!optedOut) optedOut = (known = this.knownSubject(gate, raw)) !== undefined;
        if (optedOut && gate.action === 'drop') {
          // counted once per series, not at every export of a cumulative one
          if (!this.counted.has(raw)) {
            this.counted.add(raw);
            this.policy.counters.consentSuppressed.metrics++;
          }
          (suppressed ??= new Set()).add(i);
          continue;
        }
        // masked before sanitizing (no sanitizer cuts the value apart first) unless the views sanitized it already
        if (known !== undefined && sanitizedUnder(raw) === undefined) raw = known.attributes(raw);
      }
      let attributes = sanitizePointAttributes(this.policy, scopeName, raw);
      if (optedOut) {
        attributes = { ...attributes };
        const rules = this.policy.compiled.forItem(p.attributes).sanitizer('metrics', scopeName).rules;
        if (!minimizeMetricAttributes(this.policy, gate!, rules, p.attributes, attributes, undefined, known)) {
          // not minimized with certainty (a value nested deeper than the engine keeps, or more identifier values than a mask covers): not exported, as with drop (fail closed)
          if (!this.counted.has(p.attributes)) {
            this.counted.add(p.attributes);
            this.policy.counters.consentSuppressed.metrics++;
          }
          (suppressed ??= new Set()).add(i);
          continue;
        }
      }
      const times = this.plausibleTimes(p, now);
      if (attributes === p.attributes && times === undefined) continue;
      if (points === input) points = input.slice();
      (points as DataPoint<unknown>[])[i] =
        times === undefined ? { ...p, attributes } : { ...p, attributes, startTime: times[0], endTime: times[1] };
    }
    if (suppressed !== undefined) {
      const out = suppressed;
      points = points.filter((_, i) => !out.has(i));
      if (points.length === 0) return undefined;
    }
    // Unchanged attribute sets are the SDK's own series objects (views' output or its overflow marker), distinct
    // by construction: collisions need at least one set the policy changed here.
    if (points !== input) points = mergeCollidingPoints(metric, points, this.stats);
    const k = this.policy.compiled.metrics.kAnonymity;
    if (k !== undefined) points = this.folder(k).fold(resource, sm.scope, metric, points, this.stats);
    return { ...metric, descriptor, dataPoints: points } as MetricData;
  }

  /**
   * A point's start and end time when one of them is not plausible (`isPlausibleTime`: before 2000 or more than a
   * day ahead of the clock; a metric producer of the application can pick them), counted in
   * `implausibleTimes.metrics`: the end by the clock now, the start by the end. `undefined` when both are kept.
   */
  private plausibleTimes(p: DataPoint<unknown>, now: number): [HrTime, HrTime] | undefined {
    const startOk = isPlausibleTime(p.startTime, now);
    const endOk = isPlausibleTime(p.endTime, now);
    if (startOk && endOk) return undefined;
    const counts = this.policy.counters.implausibleTimes;
    const end = endOk ? p.endTime : clockTime(now);
    if (!endOk) counts.metrics++;
    if (!startOk) counts.metrics++;
    return [startOk && laterTime(end, p.startTime) === end ? p.startTime : end, end];
  }

  /**
   * The mask of the opted-out subject's values a point's attribute text holds (values the gate found in this process:
   * `ConsentGate.seen`), or `undefined`. Decided per attribute set (the SDK keeps one per series across exports) and
   * checked again only against values found since; a set found to be about a subject stays so (a hot reload too).
   */
  private knownSubject(gate: ConsentGate, attributes: Attributes): SubjectMask | undefined {
    const seen = gate.seen;
    const before = this.subjects.get(attributes);
    if (before?.mask !== undefined) return before.mask;
    const since = before !== undefined && before.seen === seen ? before.version : 0;
    if (since === seen.version) return undefined;
    const mask = seen.match(attributes, since);
    this.subjects.set(attributes, { seen, version: seen.version, mask });
    return mask;
  }

  /**
   * The metric without the points whose numbers look like identifiers (see `metricValueGuard`), counted; every point
   * of an instrument that recorded one before, or whose bucket boundaries hold one, is dropped. `undefined` when no
   * point is left. Decided once per instrument; per point one comparison unless a value is 12+ digits.
   */
  private dropIdentifierValues(metric: MetricData, name: string): MetricData | undefined {
    const d = metric.descriptor;
    let guard = this.guards.get(d);
    if (guard === undefined) this.guards.set(d, (guard = metricValueGuard(d) ?? null));
    const checks = this.checks;
    if (guard === null) return this.cutNumbers(undefined, metric);
    if (!checks.card && !checks.phone) return metric;
    const points = metric.dataPoints as readonly DataPoint<unknown>[];
    let kind: IdentifierValueKind | undefined;
    if (guard.identifierInstrument) kind = 'identifier-instrument';
    else if (this.flagged.has(d)) return this.dropAll(metric, undefined, name);
    else if (metric.dataPointType === DataPointType.HISTOGRAM && points.length > 0 && !this.cleanBoundaries.has(d)) {
      const boundaries = (points[0]!.value as Histogram).buckets.boundaries;
      for (let i = 0; i < boundaries.length && kind === undefined; i++)
        kind = identifierValueKind(guard, boundaries[i]!, checks);
      if (kind === undefined) this.cleanBoundaries.add(d);
    }
    if (kind !== undefined) return this.dropAll(metric, kind, name);
    let kept: DataPoint<unknown>[] | undefined;
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      const found = pointIdentifierKind(guard, metric.dataPointType, p.value, checks);
      if (found === undefined) {
        kept?.push(p);
        continue;
      }
      kind ??= found;
      kept ??= points.slice(0, i);
    }
    if (kept === undefined) return this.cutNumbers(guard, metric);
    this.count(points.length - kept.length, kind!, name);
    this.flagged.add(d);
    return kept.length === 0 ? undefined : this.cutNumbers(guard, { ...metric, dataPoints: kept } as MetricData);
  }

  /**
   * The metric with its numbers cut as `metricNumberCut` decides for the instrument (values, histogram sums, minimums,
   * maximums and bucket boundaries); counted in `stats.roundedIdentifierDigits`. The metric itself when nothing changes
   * (the SDK's points are never written to).
   */
  private cutNumbers(guard: MetricValueGuard | undefined, metric: MetricData): MetricData {
    const cut = metricNumberCut(guard, metric.descriptor.unit ?? '', this.checks);
    return cut === undefined ? metric : this.roundNumbers(metric, cut);
  }

  /**
   * The metric with `rounded` applied to its values, histogram sums, minimums, maximums and explicit bucket
   * boundaries, each change counted in `stats.roundedIdentifierDigits`; the metric itself when nothing changes.
   */
  private roundNumbers(metric: MetricData, rounded: (v: number) => number): MetricData {
    const points = metric.dataPoints as readonly DataPoint<unknown>[];
    let out: DataPoint<unknown>[] | undefined;
    const round = (v: number): number => {
      const r = rounded(v);
      if (r !== v) this.stats.roundedIdentifierDigits++;
      return r;
    };
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      let value: unknown;
      if (metric.dataPointType === DataPointType.SUM || metric.dataPointType === DataPointType.GAUGE) {
        const r = round(p.value as number);
        value = r === p.value ? p.value : r;
      } else {
        const h = p.value as Histogram | ExponentialHistogram;
        const sum = h.sum === undefined ? undefined : round(h.sum);
        const min = h.min === undefined ? undefined : round(h.min);
        const max = h.max === undefined ? undefined : round(h.max);
        let buckets: Histogram['buckets'] | undefined;
        if (metric.dataPointType === DataPointType.HISTOGRAM) {
          const b = (h as Histogram).buckets;
          for (let k = 0; k < b.boundaries.length; k++) {
            const r = round(b.boundaries[k]!);
            if (r === b.boundaries[k]) continue;
            buckets ??= { ...b, boundaries: b.boundaries.slice() };
            buckets.boundaries[k] = r;
          }
        }
        value =
          sum === h.sum && min === h.min && max === h.max && buckets === undefined
            ? h
            : { ...h, sum, min, max, ...(buckets === undefined ? {} : { buckets }) };
      }
      if (value !== p.value) {
        out ??= points.slice();
        out[i] = { ...p, value };
      }
    }
    return out === undefined ? metric : ({ ...metric, dataPoints: out } as MetricData);
  }

  private dropAll(metric: MetricData, kind: IdentifierValueKind | undefined, name: string): undefined {
    const first = !this.flagged.has(metric.descriptor);
    this.flagged.add(metric.descriptor);
    this.count(metric.dataPoints.length, first ? kind : undefined, name);
    return undefined;
  }

  /** Counts dropped points; the first time per instrument a warning names the (sanitized) instrument and the kind. */
  private count(points: number, kind: IdentifierValueKind | undefined, name: string): void {
    this.stats.identifierValues += points;
    this.policy.counters.identifierValues += points;
    if (kind === undefined) return;
    privacyDiag.warn(
      kind === 'identifier-instrument'
        ? `otel-privacy: metric "${name}" is named for an identifier: its points are not exported (counted in otel_privacy.items.dropped{reason="identifier_value"})`
        : `otel-privacy: metric "${name}" recorded a number that looks like a ${kind} number: it and every later point of the instrument are not exported (counted in otel_privacy.items.dropped{reason="identifier_value"})`,
    );
  }

  private folder(k: number): KAnonymityFolder {
    let f = this.folders.get(k);
    if (f === undefined) this.folders.set(k, (f = new KAnonymityFolder(k)));
    return f;
  }
}

/**
 * The identifier kind of the first number of a point that looks like one: the value; a histogram's sum, min and max;
 * an exponential histogram's populated buckets (see `exponentialBucketKind`).
 */
function pointIdentifierKind(
  guard: MetricValueGuard,
  type: DataPointType,
  value: unknown,
  checks: NumberChecks,
): IdentifierValueKind | undefined {
  if (type === DataPointType.SUM || type === DataPointType.GAUGE)
    return identifierValueKind(guard, value as number, checks);
  const h = value as Histogram | ExponentialHistogram;
  return (
    (h.sum !== undefined ? identifierValueKind(guard, h.sum, checks) : undefined) ??
    (h.min !== undefined ? identifierValueKind(guard, h.min, checks) : undefined) ??
    (h.max !== undefined ? identifierValueKind(guard, h.max, checks) : undefined) ??
    (type === DataPointType.EXPONENTIAL_HISTOGRAM
      ? exponentialBucketKind(guard, h as ExponentialHistogram, checks)
      : undefined)
  );
}

// Holds, per instrument, the SDK's descriptors (instrument names as the application gave them) and the subjects of
// consent checks: prints its counts only.
printOnlySummary(PrivacyMetricExporter.prototype, 'PrivacyMetricExporter', (e) => ({ stats: e.stats }));
