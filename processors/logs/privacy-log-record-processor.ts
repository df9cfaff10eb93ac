import type { AnyValue, Attributes, Context } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { DROPPED } from '../../engine/attribute-redactor';
import type { AttributeRedactor } from '../../engine/attribute-redactor';
import type { Policy } from '../../policy/policy';
import { shouldKeepLogRecord } from '../sampling/log-sampling';
import type { LogSamplingOptions } from '../sampling/log-sampling';
import { sanitizeResource } from '../resource/sanitize-resource';

/**
 * The pseudo attribute key that decides a log record's body. A rule naming it (`drop`, `hash`, `allow`, …)
 * decides the whole body; entries of a map body are decided as `log.body.<key>` (dotted, recursively).
 */
export const LOG_BODY_KEY = 'log.body';

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

/** The writable fields of the SDK's log record that are typed read-only (plain fields at run time). */
interface WritableLogRecord {
  attributes: Attributes;
  resource: Resource;
  body?: AnyValue;
  _attributesCount?: number;
}

/** Internal: the body (or a part of it) must be removed. */
const REMOVE: unique symbol = Symbol('otel-privacy.remove-body');

/**
 * A `LogRecordProcessor` that applies a privacy policy to every log record and hands only sanitized
 * records to the processor(s) it wraps (SPEC §5). The SDK lets a record be written only during `onEmit`,
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
 *     hashes… its `log.body.*` key; arrays element by element; numbers, booleans, null and bytes kept.
 *   A body nested deeper than `MAX_DEPTH` is removed.
 * - `eventName`, severity, timestamps and span context are untouched. The resource is replaced by
 *   `sanitizeResource(policy, resource)` (sanitized once per resource; the shared object is never mutated).
 * - Fail closed: if sanitizing throws, the record's attributes and body are wiped, the record is not
 *   forwarded, and `policy.counters.dropped.logs.failed` is incremented.
 *
 * Processors registered on the provider *before* this one see raw records; register exporting processors
 * only as `next` of this one. Processors registered after it see the sanitized record (or a wiped one).
 */
export class PrivacyLogRecordProcessor implements LogRecordProcessor {
  /** Records not forwarded because of `logs.minSeverity` / `logs.sampling.ratio`. */
  readonly dropped: LogRecordDropCounts = { belowMinSeverity: 0, sampledOut: 0 };

  private readonly policy: Policy;
  private readonly next: readonly LogRecordProcessor[];

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
    this.next = Array.isArray(options.next)
      ? [...(options.next as readonly LogRecordProcessor[])]
      : [options.next as LogRecordProcessor];
  }

  /**
   * `logs.minSeverity` and `logs.sampling.ratio`, read from the policy per call (like the sanitizer):
   * nothing derived from the rules is kept across records, so a hot reload applies from the next record.
   */
  private sampling(): LogSamplingOptions {
    const logs = this.policy.document.logs;
    return { minSeverity: logs?.minSeverity, ratio: logs?.sampling?.ratio };
  }

  onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    try {
      if (!this.keep(logRecord)) return;
      this.sanitizeInPlace(logRecord);
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
    const minSeverity = this.policy.document.logs?.minSeverity;
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

  /** `logs.minSeverity` and `logs.sampling.ratio`; false (and counted) when the record is not kept. */
  private keep(record: ReadWriteLogRecord): boolean {
    const { minSeverity, ratio } = this.sampling();
    if (minSeverity === undefined && (ratio === undefined || ratio === 1)) return true;
    const sample = {
      severityNumber: record.severityNumber,
      traceId: record.spanContext?.traceId,
      traceState: record.spanContext?.traceState,
    };
    if (minSeverity !== undefined && !shouldKeepLogRecord(sample, { minSeverity })) {
      this.dropped.belowMinSeverity++;
      return false;
    }
    if (ratio !== undefined && ratio !== 1 && !shouldKeepLogRecord(sample, { ratio })) {
      this.dropped.sampledOut++;
      return false;
    }
    return true;
  }

  private sanitizeInPlace(record: ReadWriteLogRecord): void {
    const w = record as unknown as WritableLogRecord;
    const s = this.policy.sanitizer('logs', record.instrumentationScope?.name);
    const attributes: Attributes = {};
    const count = s.sanitizeInto(record.attributes, attributes);
    let body: unknown = REMOVE;
    if (this.policy.document.logs?.body !== 'drop' && record.body !== undefined)
      body = this.sanitizeBody(s, record.body);
    const resource = sanitizeResource(this.policy, record.resource);
    // Everything computed: write (no partly sanitized state if anything above threw).
    w.attributes = attributes;
    if (typeof w._attributesCount === 'number') w._attributesCount = count;
    if (body === REMOVE) {
      if (record.body !== undefined) w.body = undefined;
    } else if (body !== record.body) w.body = body as AnyValue;
    w.resource = resource;
  }

  /** The sanitized body, or `REMOVE`. */
  private sanitizeBody(s: AttributeRedactor, body: AnyValue): unknown {
    // No rule names `log.body`: the body is kept, and the engine decides its entries as `log.body.<key>`.
    const v = s.rules.isUnnamed(LOG_BODY_KEY)
      ? s.sanitizeKept(LOG_BODY_KEY, body)
      : s.sanitizeValue(LOG_BODY_KEY, body);
    return v === DROPPED ? REMOVE : v;
  }

  private fail(record: ReadWriteLogRecord, err: unknown): void {
    try {
      const w = record as unknown as WritableLogRecord;
      w.attributes = {};
      if (typeof w._attributesCount === 'number') w._attributesCount = 0;
      w.body = undefined;
    } catch {
      // nothing more can be done; the record is still never forwarded
    }
    this.policy.counters.recordFailure('logs', 'a log record was dropped', err);
  }
}
