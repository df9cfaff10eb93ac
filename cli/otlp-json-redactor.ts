import type { Attributes } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { AttributeRedactor } from '../engine/attribute-redactor';
import { LOG_BODY_KEY, STATUS_MESSAGE_KEY } from '../engine/vocabulary';
import type { Policy } from '../policy/policy';
import { PrivacyLogRecordProcessor } from '../processors/logs/privacy-log-record-processor';
import { sanitizeResource } from '../processors/resource/sanitize-resource';
import { SpanRedactor } from '../processors/traces/span-redactor';
import { OtlpShapeError, fromAnyValue, fromKeyValues, toAnyValue, toKeyValues } from './otlp-any-value';
import type { OtlpAnyValue, OtlpKeyValue } from './otlp-any-value';
import { EVENT_NAME_KEY, SPAN_NAME_KEY } from './scan-report';
import type { ScanReport, Where } from './scan-report';

/** The signals of OTLP export requests, by their top-level key. */
export const SIGNAL_KEYS = { traces: 'resourceSpans', metrics: 'resourceMetrics', logs: 'resourceLogs' } as const;

/** A signal name. */
export type OtlpSignal = keyof typeof SIGNAL_KEYS;

type Json = Record<string, unknown>;
interface OtlpResource {
  attributes?: OtlpKeyValue[];
}
interface OtlpScope {
  name?: string;
  attributes?: OtlpKeyValue[];
}

function list<T>(value: unknown, where: string): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpShapeError(`${where}: expected a list`);
  return value as T[];
}

function obj(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new OtlpShapeError(`${where}: expected an object`);
  return value as Json;
}

const SEVERITY_NAMES: Record<string, number> = { TRACE: 1, DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17, FATAL: 21 };

/** `severityNumber` as a number: OTLP/JSON writes it as an int, some encoders as the enum name. */
function severityNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^SEVERITY_NUMBER_(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)([2-4])?$/.exec(v);
  return m ? SEVERITY_NAMES[m[1]!]! + (m[2] ? Number(m[2]) - 1 : 0) : Number(v) || undefined;
}

/**
 * The `traceState` (or `trace_state`) of an OTLP/JSON span or link as the SDK holds it; a value that is not a
 * string becomes an empty trace state, so it is dropped (fail closed).
 */
function traceStateOf(item: Json): TraceState | undefined {
  const raw = item.traceState ?? item.trace_state;
  if (raw === undefined) return undefined;
  return new TraceState(typeof raw === 'string' ? raw : '');
}

/** Writes the filtered trace state back where the input had one (`traceState`; removed when nothing is left). */
function writeTraceState(item: Json, filtered: { serialize(): string } | undefined): void {
  if (item.traceState === undefined && item.trace_state === undefined) return;
  delete item.trace_state;
  const text = filtered?.serialize() ?? '';
  if (text === '') delete item.traceState;
  else item.traceState = text;
}

/**
 * Applies a policy to OTLP/JSON export requests with the processors' own code: spans through
 * `SpanRedactor` (what `PrivacySpanProcessor` runs on each span), log records through a real
 * `PrivacyLogRecordProcessor`, metric point attributes through `policy.sanitizer('metrics', scope)`,
 * scope attributes through `policy.sanitizer(signal, scope)`, resources through `sanitizeResource`; span and
 * link trace states through `traces.traceState` (as the span processor filters them).
 * Every signal key of a request is sanitized; a request with any other top-level key is refused.
 * Requests are changed in place; everything that is not an attribute, name, body or status message is
 * left as it was.
 */
export class OtlpJsonRedactor {
  private readonly spans: SpanRedactor;
  private readonly logs: PrivacyLogRecordProcessor;
  private emitted: ReadWriteLogRecord | undefined;

  constructor(
    private readonly policy: Policy,
    private readonly report: ScanReport,
  ) {
    this.spans = new SpanRedactor(policy);
    const capture: LogRecordProcessor = {
      onEmit: (r) => {
        this.emitted = r;
      },
      forceFlush: async () => undefined,
      shutdown: async () => undefined,
    };
    this.logs = new PrivacyLogRecordProcessor({ policy, next: capture });
  }

  /**
   * Sanitizes one export request in place: every signal key it carries. Throws an `OtlpShapeError`,
   * before changing anything, for a top-level key that is not a signal key (fail closed: unknown data
   * is never copied through).
   */
  sanitize(request: Json): void {
    const unknown = unknownTopLevelKey(request);
    if (unknown !== undefined) throw new OtlpShapeError(unknown);
    for (const signal of detectSignals(request)) {
      const key = SIGNAL_KEYS[signal];
      for (const [i, r] of list<Json>(request[key], key).entries()) {
        const where = `${key}[${i}]`;
        obj(r, where);
        const resource = this.resource(r.resource as OtlpResource | undefined, `${where}.resource`);
        if (signal === 'traces') this.traces(r, resource, where);
        else if (signal === 'metrics') this.metrics(r, where);
        else this.logsOf(r, resource, where);
      }
    }
    this.report.items.requests++;
  }

  /** The attributes of a scope (an `InstrumentationScope`) through the signal's rules for that scope, in place. */
  private scopeAttributes(
    signal: OtlpSignal,
    scope: OtlpScope | undefined,
    sanitizer: AttributeRedactor,
    where: string,
  ): void {
    if (typeof scope !== 'object' || scope === null || scope.attributes === undefined) return;
    scope.attributes = this.attributesThrough(
      signal,
      sanitizer,
      scope.attributes,
      `${where}.attributes`,
      'a scope lost its attributes',
    );
  }

  /** Sanitizes the resource of one `resource*` entry in place; returns the SDK resource the processors would see. */
  private resource(resource: OtlpResource | undefined, where: string): Resource {
    const before = fromKeyValues(resource?.attributes, `${where}.attributes`) as Attributes;
    const raw = resourceFromAttributes(before);
    const clean = sanitizeResource(this.policy, raw);
    const after: Record<string, unknown> = {};
    for (const [k, v] of clean.getRawAttributes()) if (v !== undefined) after[k] = v;
    this.report.attributes('resource', this.policy.resourceSanitizer, before, after);
    if (resource !== undefined) resource.attributes = toKeyValues(after, resource.attributes);
    return raw;
  }

  private traces(r: Json, resource: Resource, where: string): void {
    for (const [j, ss] of list<Json>(r.scopeSpans, `${where}.scopeSpans`).entries()) {
      const scope = ss.scope as OtlpScope | undefined;
      const scopeName = scope?.name;
      const sanitizer = this.policy.sanitizer('traces', scopeName);
      this.scopeAttributes('traces', scope, sanitizer, `${where}.scopeSpans[${j}].scope`);
      const kept: Json[] = [];
      for (const [k, span] of list<Json>(ss.spans, `${where}.scopeSpans[${j}].spans`).entries()) {
        const at = `${where}.scopeSpans[${j}].spans[${k}]`;
        obj(span, at);
        this.report.items.spans++;
        const attributes = fromKeyValues(span.attributes as OtlpKeyValue[], `${at}.attributes`) as Attributes;
        const events = list<Json>(span.events, `${at}.events`);
        const links = list<Json>(span.links, `${at}.links`);
        const status = (span.status ?? {}) as { code?: number; message?: string };
        const name = typeof span.name === 'string' ? span.name : '';
        const spanContext = {
          traceId: String(span.traceId ?? ''),
          spanId: String(span.spanId ?? ''),
          traceFlags: 1,
          traceState: traceStateOf(span),
        };
        const input = {
          name,
          kind: 0,
          spanContext: () => spanContext,
          startTime: [0, 0],
          endTime: [0, 0],
          duration: [0, 0],
          ended: true,
          status: { code: status.code ?? 0, message: status.message },
          attributes,
          events: events.map((e, m) => ({
            name: typeof e.name === 'string' ? e.name : '',
            time: [0, 0],
            attributes:
              e.attributes === undefined
                ? undefined
                : fromKeyValues(e.attributes as OtlpKeyValue[], `${at}.events[${m}].attributes`),
          })),
          links: links.map((l, m) => ({
            context: { traceId: '', spanId: '', traceFlags: 0, traceState: traceStateOf(l) },
            attributes:
              l.attributes === undefined
                ? undefined
                : fromKeyValues(l.attributes as OtlpKeyValue[], `${at}.links[${m}].attributes`),
          })),
          resource,
          instrumentationScope: scope === undefined ? undefined : { name: scopeName ?? '' },
          droppedAttributesCount: 0,
          droppedEventsCount: 0,
          droppedLinksCount: 0,
        } as unknown as ReadableSpan;
        let out: ReadableSpan;
        try {
          out = this.spans.sanitizedCopy(input);
        } catch (err) {
          // Fail closed, as PrivacySpanProcessor: the span is not written.
          this.policy.counters.recordFailure('traces', 'a span was dropped', err);
          this.report.items.failed++;
          continue;
        }
        this.report.text('traces', SPAN_NAME_KEY, name, out.name);
        span.name = out.name;
        writeTraceState(span, out.spanContext().traceState);
        this.report.attributes('traces', sanitizer, attributes, out.attributes);
        span.attributes = toKeyValues(out.attributes, span.attributes as OtlpKeyValue[]);
        events.forEach((e, m) => {
          const o = out.events[m]!;
          this.report.text('traces', EVENT_NAME_KEY, input.events[m]!.name, o.name);
          e.name = o.name;
          if (o.attributes !== undefined) {
            this.report.attributes('traces', sanitizer, input.events[m]!.attributes!, o.attributes);
            e.attributes = toKeyValues(o.attributes, e.attributes as OtlpKeyValue[]);
          }
        });
        links.forEach((l, m) => {
          const o = out.links[m]!;
          writeTraceState(l, o.context.traceState);
          if (o.attributes !== undefined) {
            this.report.attributes('traces', sanitizer, input.links[m]!.attributes!, o.attributes);
            l.attributes = toKeyValues(o.attributes, l.attributes as OtlpKeyValue[]);
          }
        });
        if (status.message !== undefined) {
          this.report.value(
            'traces',
            STATUS_MESSAGE_KEY,
            sanitizer,
            status.message,
            out.status.message !== undefined,
            out.status.message,
          );
          if (out.status.message === undefined) delete (span.status as Json).message;
          else (span.status as Json).message = out.status.message;
        }
        kept.push(span);
      }
      if (ss.spans !== undefined) ss.spans = kept;
    }
  }

  private metrics(r: Json, where: string): void {
    for (const [j, sm] of list<Json>(r.scopeMetrics, `${where}.scopeMetrics`).entries()) {
      const scope = sm.scope as OtlpScope | undefined;
      const sanitizer = this.policy.sanitizer('metrics', scope?.name);
      this.scopeAttributes('metrics', scope, sanitizer, `${where}.scopeMetrics[${j}].scope`);
      for (const [k, metric] of list<Json>(sm.metrics, `${where}.scopeMetrics[${j}].metrics`).entries()) {
        const at = `${where}.scopeMetrics[${j}].metrics[${k}]`;
        obj(metric, at);
        for (const kind of ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary']) {
          const data = metric[kind] as Json | undefined;
          if (data === undefined) continue;
          for (const [p, point] of list<Json>(data.dataPoints, `${at}.${kind}.dataPoints`).entries()) {
            this.report.items.metricPoints++;
            point.attributes = this.attributesThrough(
              'metrics',
              sanitizer,
              point.attributes as OtlpKeyValue[],
              `${at}.${kind}.dataPoints[${p}].attributes`,
              'a measurement lost its attributes',
            );
            for (const [x, ex] of list<Json>(point.exemplars, `${at}.${kind}.dataPoints[${p}].exemplars`).entries()) {
              if (ex.filteredAttributes !== undefined)
                ex.filteredAttributes = this.attributesThrough(
                  'metrics',
                  sanitizer,
                  ex.filteredAttributes as OtlpKeyValue[],
                  `${at}.${kind}.dataPoints[${p}].exemplars[${x}].filteredAttributes`,
                  'a measurement lost its attributes',
                );
            }
          }
        }
      }
    }
  }

  /**
   * A `KeyValue` list (metric point, exemplar or scope attributes) through `sanitizer` (as the views do
   * for points), failing closed like them: on an error, no attributes.
   */
  private attributesThrough(
    signal: OtlpSignal,
    sanitizer: AttributeRedactor,
    kvs: OtlpKeyValue[] | undefined,
    where: string,
    outcome: string,
  ): OtlpKeyValue[] {
    const before = fromKeyValues(kvs, where) as Attributes;
    let after: Attributes;
    try {
      after = sanitizer.sanitize(before);
    } catch (err) {
      this.policy.counters.recordFailure(signal, outcome, err);
      this.report.items.failed++;
      after = {};
    }
    this.report.attributes(signalWhere[signal], sanitizer, before, after);
    return toKeyValues(after, kvs);
  }

  private logsOf(r: Json, resource: Resource, where: string): void {
    for (const [j, sl] of list<Json>(r.scopeLogs, `${where}.scopeLogs`).entries()) {
      const scope = sl.scope as OtlpScope | undefined;
      const sanitizer = this.policy.sanitizer('logs', scope?.name);
      this.scopeAttributes('logs', scope, sanitizer, `${where}.scopeLogs[${j}].scope`);
      const kept: Json[] = [];
      for (const [k, lr] of list<Json>(sl.logRecords, `${where}.scopeLogs[${j}].logRecords`).entries()) {
        const at = `${where}.scopeLogs[${j}].logRecords[${k}]`;
        obj(lr, at);
        this.report.items.logRecords++;
        const attributes = fromKeyValues(lr.attributes as OtlpKeyValue[], `${at}.attributes`) as Attributes;
        const body = lr.body === undefined ? undefined : fromAnyValue(lr.body as OtlpAnyValue, `${at}.body`);
        const traceId = typeof lr.traceId === 'string' && lr.traceId !== '' ? lr.traceId : undefined;
        const record = {
          attributes,
          body,
          resource,
          instrumentationScope: { name: scope?.name ?? '' },
          severityNumber: severityNumber(lr.severityNumber),
          severityText: lr.severityText,
          spanContext: traceId
            ? { traceId, spanId: String(lr.spanId ?? ''), traceFlags: Number(lr.flags ?? 0) & 1 }
            : undefined,
        };
        const before = {
          below: this.logs.dropped.belowMinSeverity,
          sampled: this.logs.dropped.sampledOut,
          failed: this.policy.counters.dropped.logs.failed,
        };
        this.emitted = undefined;
        this.logs.onEmit(record as unknown as ReadWriteLogRecord);
        if (this.emitted === undefined) {
          this.report.items.logsBelowMinSeverity += this.logs.dropped.belowMinSeverity - before.below;
          this.report.items.logsSampledOut += this.logs.dropped.sampledOut - before.sampled;
          this.report.items.failed += this.policy.counters.dropped.logs.failed - before.failed;
          continue;
        }
        const out = this.emitted as unknown as { attributes: Attributes; body?: unknown };
        this.report.attributes('logs', sanitizer, attributes, out.attributes);
        lr.attributes = toKeyValues(out.attributes, lr.attributes as OtlpKeyValue[]);
        if (lr.body !== undefined) {
          const noRule = sanitizer.rules.isUnnamed(LOG_BODY_KEY);
          this.report.value('logs', LOG_BODY_KEY, sanitizer, body, out.body !== undefined, out.body, noRule);
          if (out.body === undefined) delete lr.body;
          else lr.body = toAnyValue(out.body, lr.body as OtlpAnyValue);
        }
        kept.push(lr);
      }
      if (sl.logRecords !== undefined) sl.logRecords = kept;
    }
  }
}

/** The signals a parsed export request carries, by its top-level keys (empty when none of the three is there). */
export function detectSignals(request: Json): OtlpSignal[] {
  const out: OtlpSignal[] = [];
  for (const [signal, key] of Object.entries(SIGNAL_KEYS) as [OtlpSignal, string][])
    if (Object.hasOwn(request, key)) out.push(signal);
  return out;
}

const SIGNAL_KEY_SET: ReadonlySet<string> = new Set(Object.values(SIGNAL_KEYS));
/** A field name that reads as a schema name, not as data: only such names are quoted in error messages. */
const NAMEABLE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * The one-line complaint about the first top-level key of `request` that is not a signal key, or
 * `undefined` when there is none. The key is quoted only when it looks like a field name (never data).
 */
export function unknownTopLevelKey(request: Json): string | undefined {
  for (const key of Object.keys(request)) {
    if (SIGNAL_KEY_SET.has(key)) continue;
    const named = NAMEABLE.test(key) ? ` ${JSON.stringify(key)}` : '';
    return `unknown top-level field${named} (only resourceSpans, resourceMetrics and resourceLogs are read; unknown data is never copied through)`;
  }
  return undefined;
}

/** For the report's `Where` of a signal. */
export const signalWhere: Record<OtlpSignal, Where> = { traces: 'traces', metrics: 'metrics', logs: 'logs' };
