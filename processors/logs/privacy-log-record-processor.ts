import { lengthLimit, maskCutValues, unscannedMask } from '../../engine/cut-values';
import { clockTime, isPlausibleTime } from '../../engine/plausible-time';
import { coarsenHrTime } from '../../engine/time-precision';
import { RETENTION_ATTRIBUTE } from '../../engine/retention-labels';
import { trace } from '@opentelemetry/api';
import type { AnyValue, Attributes, Context, SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { DROPPED } from '../../engine/attribute-redactor';
import type { AttributeRedactor } from '../../engine/attribute-redactor';
import { LOG_BODY_KEY } from '../../engine/vocabulary';
import { logMinimization, minimizeLogRecord } from './consent-minimize-log';
import type { LogMinimization } from './consent-minimize-log';
import { enclosingContext } from '../../engine/consent/consent-context';
import { consentTraces } from '../../engine/consent/trace-decisions';
import type { TraceDecisions } from '../../engine/consent/trace-decisions';
import { traceGroups } from '../../engine/trace-groups';
import type { TraceGroups } from '../../engine/trace-groups';
import type { Policy } from '../../policy/policy';
import type { CompiledPolicy } from '../../policy/compiled-policy';
import { shouldKeepLogRecord } from '../sampling/log-sampling';
import { BODY_PART_DROPPED, rewriteBodyUrls } from './log-body-urls';
import { redactTextField } from '../../engine/otlp-fields';
import {
  LOG_RECORD_FLAGS_MAX,
  OTLP_ENUM_FIELDS,
  asEnumValue,
  asFieldText,
  isEnumValue,
} from '../../engine/otlp-field-types';
import { sanitizeResource } from '../resource/sanitize-resource';
import { sanitizeScope } from '../resource/sanitize-scope';
import {
  replaceLogRecordAttributes,
  replaceLogRecordMetadata,
  replaceLogRecordResource,
  replaceLogRecordSpanContext,
} from '../sdk-internals/log-record-internals';
import { exportedSpanContext } from '../../engine/trace-state';

export { LOG_BODY_KEY };

/** Options of `PrivacyLogRecordProcessor`. */
export interface PrivacyLogRecordProcessorOptions {
  /** The compiled policy to apply. */
  readonly policy: Policy;
  /** The downstream processor(s), e.g. a `BatchLogRecordProcessor`; they only ever see sanitized records. */
  readonly next: LogRecordProcessor | readonly LogRecordProcessor[];
}

/** Records this processor did not forward, besides fail-closed drops (`policy.counters.dropped.logs.failed`). */
export interface LogRecordDropCounts {
  /** Severity specified and below `logs.minSeverity`. */
  belowMinSeverity: number;
  /** Not kept by `logs.sampling.ratio`. */
  sampledOut: number;
}

/**
 * What a compiled policy decides for the records of one instrumentation scope, made once and used for every record
 * while both stay the same objects (a hot reload or another user group's rules make a new plan): the scope's rules,
 * its sanitized copy, how the body is decided, and the scanners bound to the compiled policy (no closure per record).
 */
interface ScopePlan {
  readonly compiled: CompiledPolicy;
  /** The SDK's scope object the plan was made for (compared by identity). */
  readonly rawScope: InstrumentationScope | undefined;
  /** `compiled.sanitizer('logs', scope name)`. */
  readonly s: AttributeRedactor;
  /** `sanitizeScope(…)` of `rawScope` (the same object `sanitizeScope` returns for it every time). */
  readonly scope: InstrumentationScope | undefined;
  /** No rule names `log.body`: the body is kept as if allowed (`sanitizeKept`). */
  readonly bodyUnnamed: boolean;
  /** With `sanitizers.url.logBody` and a kept body: its strings' URL-like words through the URL rules. */
  readonly bodyUrls: ((text: string) => string | undefined) | undefined;
  /**
   * With `bodyUrls`, no rule naming `log.body` and a value scanner: the URL rules alone (`tools.textUrls`) and the scan
   * of a rewritten text with its raw text (`tools.scanTransformed`), for a string body (`sanitizeStringBody`).
   */
  readonly stringBody:
    | {
        readonly rewrite: (text: string) => string;
        readonly scanTransformed: (raw: string, rewritten: string, key: string) => string | typeof DROPPED;
        /** `values.timestamps: coarsen`: a clean rewritten body still goes through `sanitizeKept` (whole dates). */
        readonly coarsens: boolean;
      }
    | undefined;
  /**
   * The event name and severity text: their URL-like words through the URL rules (as a body's,
   * `sanitizers.url.logBody`), then `compiled`'s value scanner.
   */
  readonly scanMetadata: (text: string) => string | undefined;
}

/** The largest `SeverityNumber` (its OTLP enum: `OTLP_ENUM_FIELDS`). */
const SEVERITY_MAX = OTLP_ENUM_FIELDS['LogRecord.severity_number'].sdkMax;

/** Internal: the body (or a part of it) must be removed. */
const REMOVE: unique symbol = Symbol('otel-privacy.remove-body');

/**
 * A `LogRecordProcessor` that applies a privacy policy to every log record and hands only sanitized
 * records to the processor(s) it wraps. The SDK lets a record be written only during `onEmit`,
 * so everything happens there, in place, before `next.onEmit`:
 *
 * - Sampling: a record whose severity is specified and below `logs.minSeverity`, or not kept by
 *   `logs.sampling.ratio` (consistent with the trace sampler when the record has a trace id), is not
 *   forwarded and is counted in `dropped`.
 * - Attributes: replaced by `policy.sanitizer('logs', scope name)` output (the `logs` block over the top
 *   level, per instrumentation scope) — the same engine and decisions as span attributes.
 * - Body, `logs.body: drop`: removed. `logs.body: scan` (default):
 *   - if a rule names the pseudo key `log.body` (`drop`, `hash`, `encrypt`, `mask`, `generalize`, `allow`),
 *     the engine decides the whole body under that key (`allow` keeps it: strings scanned, map entries
 *     decided as `log.body.<key>`);
 *   - otherwise (only the default would decide it): the body is kept as if `log.body` were allowed
 *     (`AttributeRedactor.sanitizeKept`): a string body goes through the value scanner; the entries of a
 *     map body are decided by the engine as attributes with dotted keys `log.body.<key>` (recursively:
 *     `log.body.user.email`), so under a `default: drop` policy no entry survives unless a rule allows,
 *     hashes… its `log.body.*` key; arrays element by element; numbers, booleans and null kept; bytes that are
 *     UTF-8 text read as that text (and kept as bytes), other bytes per `values.bytes`.
 *   - with `sanitizers.url.logBody` (on by default with URL attributes), a kept body's strings (the body, or the
 *     strings in a map or array body, and bytes there that are UTF-8 text) first get the URL rules on their URL-like
 *     words (`/users/4711` → `/users/{id}`), the raw text scanned too.
 *   A body nested deeper than `MAX_DEPTH` is removed (counted as a finding of type `too-deep`).
 * - `eventName` and `severityText` go through the value scanner (their class in the OTLP field inventory; a
 *   finding is masked, or the field removed when `values.action` drops it). The instrumentation scope is replaced
 *   by `sanitizeScope(policy, 'logs', scope)` (name, version, schema URL scanned; scope attributes through the
 *   `logs` rules for that scope) and the resource by `sanitizeResource(policy, resource)`: each sanitized once per
 *   object, the SDK's shared objects never mutated. A severity number that is not a `SeverityNumber` is removed and a
 *   non-string event name or severity text replaced by its text (or removed), counted in
 *   `policy.counters.invalidFields.logs`, as are trace flags of the record's span context that are not one byte
 *   (exported as the record's `flags`: only their low byte is kept). The span context is replaced by a copy (ids
 *   checked, trace state filtered), since it can be an object the application holds; timestamps are rounded down
 *   with `logs.timestampPrecision`.
 * - User groups (`userGroups`): a record gets the rules of the strictest of its own group attribute, the group of
 *   the span it is emitted in and its trace's group in this process; a value no block names gets the
 *   `userGroups.unknown` rules and is counted (`policy.counters.userGroupUnknown.logs`).
 * - Fail closed: if sanitizing throws, the record's attributes, body, event name, severity text and scope are
 *   wiped, the record is not forwarded, and `policy.counters.dropped.logs.failed` is incremented.
 *
 * Processors registered on the provider *before* this one see raw records; register exporting processors
 * only as `next` of this one. Processors registered after it see the sanitized record (or a wiped one).
 */
export class PrivacyLogRecordProcessor implements LogRecordProcessor {
  /** Records not forwarded because of `logs.minSeverity` / `logs.sampling.ratio`. */
  readonly dropped: LogRecordDropCounts = { belowMinSeverity: 0, sampledOut: 0 };

  private readonly policy: Policy;
  private readonly next: readonly LogRecordProcessor[];
  /** The opted-out traces of this process under the policy (`consent`), shared with its span processors. */
  private readonly consentTraces: TraceDecisions;
  /** The user groups of this process's traces under the policy (`userGroups`), shared with its span processors. */
  private readonly traceGroups: TraceGroups;

  /** What the last record's compiled policy and scope decided (see `ScopePlan`); records of one logger share it. */
  private plan: ScopePlan | undefined;

  /** The span context the last record was emitted under, and the copy exported for it (`exportedSpanContext`). */
  private lastSpanContext: { readonly raw: SpanContext; readonly copy: SpanContext } | undefined;

  constructor(options: PrivacyLogRecordProcessorOptions) {
    if (!options?.policy)
      throw new TypeError(
        'PrivacyLogRecordProcessor: options.policy is required (loadPolicy/definePolicy/defaultPolicy)',
      );
    if (!options.next)
      throw new TypeError(
        'PrivacyLogRecordProcessor: options.next is required (the LogRecordProcessor to hand sanitized records to)',
      );
    this.policy = options.policy;
    this.consentTraces = consentTraces(options.policy);
    this.traceGroups = traceGroups(options.policy);
    this.next = Array.isArray(options.next)
      ? [...(options.next as readonly LogRecordProcessor[])]
      : [options.next as LogRecordProcessor];
  }

  onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    try {
      if (!this.keep(logRecord)) return;
      const compiled = this.compiledFor(logRecord, context);
      const consent = this.consent(logRecord, context, compiled);
      // minimize: masked before sanitizing too, so that no sanitizer cuts an identifier apart first
      if (consent !== undefined && consent !== 'drop') minimizeLogRecord(logRecord, consent);
      this.sanitizeInPlace(logRecord, compiled);
      if (consent === 'drop') {
        this.policy.counters.consentSuppressed.logs++;
        return;
      }
      if (consent !== undefined) minimizeLogRecord(logRecord, consent);
    } catch (err) {
      this.fail(logRecord, err);
      return;
    }
    for (const p of this.next) p.onEmit(logRecord, context);
  }

  /**
   * False for a severity below `logs.minSeverity` (so loggers can skip the work); otherwise asks `next`.
   */
  enabled(options: {
    context: Context;
    instrumentationScope: InstrumentationScope;
    // a number, not api's SeverityNumber: @opentelemetry/api 1.9 (OTel JS 2.x) does not export that type
    severityNumber?: number;
    eventName?: string;
  }): boolean {
    const minSeverity = this.policy.compiled.logs.minSeverity;
    if (minSeverity !== undefined && !shouldKeepLogRecord({ severityNumber: options.severityNumber }, { minSeverity }))
      return false;
    return this.next.some((p) => p.enabled === undefined || p.enabled(options));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.next.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.next.map((p) => p.shutdown()));
  }

  /**
   * `logs.minSeverity` and `logs.sampling.ratio`, read from the compiled policy per record (like the rules), so a
   * hot reload applies from the next record; false (and counted) when the record is not kept.
   */
  private keep(record: ReadWriteLogRecord): boolean {
    const logs = this.policy.compiled.logs;
    if (!logs.filters) return true;
    const { minSeverity, ratio } = logs;
    const sample = {
      severityNumber: record.severityNumber,
      traceId: record.spanContext?.traceId,
      traceState: record.spanContext?.traceState,
    };
    if (minSeverity !== undefined && !shouldKeepLogRecord(sample, { minSeverity })) {
      this.dropped.belowMinSeverity++;
      return false;
    }
    if (ratio !== 1 && !shouldKeepLogRecord(sample, { ratio })) {
      this.dropped.sampledOut++;
      return false;
    }
    return true;
  }

  /**
   * The compiled policy for a record (`userGroups`): the strictest of its attributes' user group, the group of the span
   * it is emitted in (its attributes now) and the group of its trace in this process (a record emitted inside a span of a strict group gets that group's rules, whether it
   * carries the group attribute or not); the policy's own without user groups.
   */
  private compiledFor(record: ReadWriteLogRecord, context: Context | undefined): CompiledPolicy {
    const base = this.policy.compiled;
    const groups = base.userGroups;
    if (groups === undefined) return base;
    const counts = this.policy.counters.userGroupUnknown;
    const traceId = record.spanContext?.traceId;
    return groups.policy(this.traceGroups.decideItem(groups, record.attributes, counts, 'logs', context, traceId));
  }

  /**
   * The consent decision for a record (before sanitizing: raw attributes): its trace opted out earlier, or its
   * context, attributes or body map name an opted-out subject (which opts its trace out too); `undefined` when not
   * opted out. The rules of the record's user group (`compiled`) decide which keys are identifying.
   */
  private consent(
    record: ReadWriteLogRecord,
    context: Context | undefined,
    compiled: CompiledPolicy,
  ): 'drop' | LogMinimization | undefined {
    const gate = this.policy.compiled.consent;
    if (gate === undefined) return undefined;
    const traceId = record.spanContext?.traceId;
    const traces = this.consentTraces;
    // a record given a context without a span while an opted-out request's context is active is that request's
    const outer = traceId === undefined ? enclosingContext(context) : undefined;
    const outerTrace = outer === undefined ? undefined : trace.getSpanContext(outer)?.traceId;
    if (!traces.optedOut(traceId)) {
      if (
        !gate.contextOptedOut(context) &&
        !gate.recordOptedOut(record.attributes, record.body) &&
        !(outer !== undefined && (traces.optedOut(outerTrace) || gate.contextOptedOut(outer)))
      )
        return undefined;
      if (traceId !== undefined) traces.optOut(traceId);
    }
    if (gate.action === 'drop') return 'drop';
    const rules = compiled.sanitizer('logs', record.instrumentationScope?.name).rules;
    return logMinimization(record, context, gate, rules, traces, outer);
  }

  /** The plan for a record under `compiled` (the last one again while the compiled policy and scope object are). */
  private planFor(compiled: CompiledPolicy, rawScope: InstrumentationScope | undefined): ScopePlan {
    const last = this.plan;
    if (last !== undefined && last.compiled === compiled && last.rawScope === rawScope) return last;
    const s = compiled.sanitizer('logs', rawScope?.name);
    // Throws when the scope cannot be sanitized: no plan is kept, and the record fails closed.
    const scope = rawScope && sanitizeScope(this.policy, 'logs', rawScope, compiled);
    const unnamed = s.rules.isUnnamed(LOG_BODY_KEY);
    const { textUrls, scanTransformed } = compiled.tools;
    const plan: ScopePlan = {
      compiled,
      rawScope,
      s,
      scope,
      bodyUnnamed: unnamed,
      // `sanitizers.url.logBody`: URL-like words of a kept body's strings get the URL rules first.
      bodyUrls:
        textUrls !== undefined && (unnamed || s.rules.decide(LOG_BODY_KEY).action === 'allow')
          ? (text) => compiled.rewriteTextUrls(text)
          : undefined,
      stringBody:
        unnamed && textUrls !== undefined && scanTransformed !== undefined
          ? { rewrite: textUrls, scanTransformed, coarsens: compiled.tools.timestampPrecision !== undefined }
          : undefined,
      // `sanitizers.url.logBody`: URL-like words in the event name and severity text get the URL rules too
      scanMetadata: (text) => compiled.scanNameText(text),
    };
    this.plan = plan;
    return plan;
  }

  /**
   * The record's attributes, or a copy with the string values the SDK cut at its attribute length limit masked at
   * their end (`engine/cut-values.ts`; the limit is a private field of the SDK's `LogRecordImpl`).
   */
  private withoutCutTails(record: ReadWriteLogRecord): Attributes {
    const limits = (record as unknown as { _logRecordLimits?: { attributeValueLengthLimit?: unknown } })
      ._logRecordLimits;
    const limit = lengthLimit(limits?.attributeValueLengthLimit);
    if (limit === undefined) return record.attributes; // no limit (the SDK's default): nothing is cut
    const mask = unscannedMask(this.policy.compiled.values?.mask);
    if (mask === undefined) return record.attributes;
    const [attributes, changed] = maskCutValues(record.attributes, limit, mask);
    this.policy.counters.cutValues.logs += changed;
    return attributes;
  }

  private sanitizeInPlace(record: ReadWriteLogRecord, compiled: CompiledPolicy): void {
    const plan = this.planFor(compiled, record.instrumentationScope);
    const { s, scanMetadata } = plan;
    const attributes: Attributes = {};
    // string values the SDK cut at its length limit: their last word masked before the sanitizers read them
    const input = this.withoutCutTails(record);
    let count = s.sanitizeInto(input, attributes);
    // `retention`: the class the rules give this record, from its raw keys' decisions.
    const retention = compiled.retention?.classify('logs', record.instrumentationScope?.name, input, s);
    if (retention !== undefined) {
      attributes[RETENTION_ATTRIBUTE] = retention;
      count++;
    }
    let body: unknown = REMOVE;
    if (compiled.logs.body !== 'drop' && record.body !== undefined) body = this.sanitizeBody(plan, record.body);
    const resource = sanitizeResource(this.policy, record.resource);
    // Sanitized once per scope object and compiled policy (`sanitizeScope` returns the same object every time).
    const scope = plan.scope;
    // Event name and severity text that are not strings: their text, or removed (counted; see otlp-field-types.ts).
    const counts = this.policy.counters.invalidFields;
    const rawEventName =
      record.eventName === undefined ? undefined : asFieldText(record.eventName, counts, 'logs', undefined);
    const eventName =
      rawEventName === undefined ? undefined : redactTextField('LogRecord.event_name', rawEventName, scanMetadata);
    const rawSeverityText =
      record.severityText === undefined ? undefined : asFieldText(record.severityText, counts, 'logs', undefined);
    const severityText =
      rawSeverityText === undefined
        ? undefined
        : redactTextField('LogRecord.severity_text', rawSeverityText, scanMetadata);
    const severity = record.severityNumber;
    const severityNumber =
      severity === undefined || isEnumValue(severity, SEVERITY_MAX)
        ? severity
        : asEnumValue('LogRecord.severity_number', severity, counts, 'logs');
    // The span context the record was emitted under may be the application's own object (a remote parent it still
    // holds and may change before a batch is exported): a copy of the library's own, its ids checked. Trace flags
    // that are not one byte (exported as `flags`) are counted; the copy keeps their low byte.
    const raw = record.spanContext;
    if (raw !== undefined && !isEnumValue(raw.traceFlags, LOG_RECORD_FLAGS_MAX)) counts.logs++;
    const spanContext = raw === undefined ? undefined : this.exportedSpanContext(raw);
    // Everything computed: write (no partly sanitized state if anything above threw).
    if (spanContext !== undefined && !replaceLogRecordSpanContext(record, spanContext))
      throw new Error("cannot replace the log record's span context");
    replaceLogRecordMetadata(record, eventName, severityText, scope ?? record.instrumentationScope);
    if (severityNumber !== severity) record.severityNumber = severityNumber;
    replaceLogRecordAttributes(record, attributes, count);
    if (body === REMOVE) {
      if (record.body !== undefined) record.body = undefined;
    } else if (body !== record.body) record.body = body as AnyValue;
    replaceLogRecordResource(record, resource);
    this.plausibleTimes(record);
    const precision = compiled.timePrecision.logMillis;
    if (precision !== undefined) {
      record.hrTime = coarsenHrTime(record.hrTime, precision);
      record.hrTimeObserved = coarsenHrTime(record.hrTimeObserved, precision);
    }
  }

  /**
   * The copy of a record's span context that is exported (`exportedSpanContext`: ids checked, flags cut to a byte, the
   * trace state filtered; a new frozen object, never the application's). The records of one span carry the same
   * object: while it is the last one's and still holds what its copy was made from (same ids, flags and `isRemote`,
   * read again now, so a change the application made in between is seen), and has no trace state (whose filter counts
   * findings per use), the last copy is exported again instead of a new one per record.
   */
  private exportedSpanContext(raw: SpanContext): SpanContext {
    const last = this.lastSpanContext;
    if (last !== undefined && last.raw === raw) {
      const copy = last.copy;
      if (
        raw.traceState === undefined &&
        copy.traceState === undefined &&
        raw.traceId === copy.traceId &&
        raw.spanId === copy.spanId &&
        raw.traceFlags === copy.traceFlags &&
        raw.isRemote === copy.isRemote
      )
        return copy;
    }
    const copy = exportedSpanContext(raw, this.policy.traceStateFilter);
    this.lastSpanContext = { raw, copy };
    return copy;
  }

  /**
   * The record's observed time, and its time, replaced when not plausible (`isPlausibleTime`: before 2000 or more
   * than a day ahead of the clock; counted in `implausibleTimes.logs`): the observed time by the clock now, the time
   * by the observed time. A real time is never altered. Throws (fail closed) when the SDK did not take the write.
   */
  private plausibleTimes(record: ReadWriteLogRecord): void {
    const now = Date.now();
    const counts = this.policy.counters.implausibleTimes;
    if (!isPlausibleTime(record.hrTimeObserved, now)) {
      record.hrTimeObserved = clockTime(now);
      counts.logs++;
      if (!isPlausibleTime(record.hrTimeObserved, now)) throw new Error("cannot replace the log record's time");
    }
    if (!isPlausibleTime(record.hrTime, now)) {
      record.hrTime = record.hrTimeObserved;
      counts.logs++;
      if (!isPlausibleTime(record.hrTime, now)) throw new Error("cannot replace the log record's time");
    }
  }

  /** The sanitized body, or `REMOVE`. */
  private sanitizeBody(plan: ScopePlan, body: AnyValue): unknown {
    const { s, bodyUrls } = plan;
    if (plan.stringBody !== undefined && typeof body === 'string') return this.sanitizeStringBody(plan, body);
    let kept: unknown = body;
    if (bodyUrls !== undefined) {
      kept = rewriteBodyUrls(body, bodyUrls);
      if (kept === BODY_PART_DROPPED) return REMOVE;
    }
    // No rule names `log.body`: the body is kept, and the engine decides its entries as `log.body.<key>`.
    const v = plan.bodyUnnamed ? s.sanitizeKept(LOG_BODY_KEY, kept) : s.sanitizeValue(LOG_BODY_KEY, kept);
    return v === DROPPED ? REMOVE : v;
  }

  /**
   * A string body under `plan.stringBody` (the common case): what `sanitizeBody` gives it, without the scans that
   * cannot change it. A body the URL rules leave as it is is scanned once. A rewritten body is scanned with its raw text
   * (`scanTransformed`); when that masked something, the result is scanned again — a finding the scanner skipped
   * because it overlapped one it masked (an address glued to a card number) is found once the mask separates it —
   * and when it masked nothing, the result is the rewritten text the scan just read clean, so it is kept as it is
   * (nothing counted, nothing pending for the leak alarm; with `values.timestamps: coarsen` it still goes through
   * `sanitizeKept`, which rounds a whole date).
   */
  private sanitizeStringBody(plan: ScopePlan, body: string): unknown {
    const { s } = plan;
    const { rewrite, scanTransformed, coarsens } = plan.stringBody!;
    const rewritten = rewrite(body);
    let v: unknown;
    if (rewritten === body) v = s.sanitizeKept(LOG_BODY_KEY, body);
    else {
      const scanned = scanTransformed(body, rewritten, LOG_BODY_KEY);
      if (scanned === DROPPED) return REMOVE;
      v = scanned === rewritten && !coarsens ? scanned : s.sanitizeKept(LOG_BODY_KEY, scanned);
    }
    return v === DROPPED ? REMOVE : v;
  }

  private fail(record: ReadWriteLogRecord, err: unknown): void {
    try {
      replaceLogRecordAttributes(record, {}, 0);
      record.body = undefined;
      replaceLogRecordMetadata(record, undefined, undefined, { name: '' });
    } catch {
      // nothing more can be done; the record is still never forwarded
    }
    this.policy.counters.recordFailure('logs', 'a log record was dropped', err);
  }
}
