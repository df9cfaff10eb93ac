import type { Attributes, HrTime, Link } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { AttributeRedactor } from '../engine/attribute-redactor';
import { LOG_BODY_KEY, STATUS_MESSAGE_KEY } from '../engine/vocabulary';
import { OTLP_FIELDS, redactTextField, textFieldsOf } from '../engine/otlp-fields';
import type { OtlpFieldId } from '../engine/otlp-fields';
import type { Policy } from '../policy/policy';
import { PrivacyLogRecordProcessor } from '../processors/logs/privacy-log-record-processor';
import { sanitizeResource } from '../processors/resource/sanitize-resource';
import { SpanRedactor } from '../processors/traces/span-redactor';
import { minimizedLink, minimizedSpanCopy, premaskedSpanCopy } from '../processors/traces/consent-minimize';
import { minimizeMetricAttributes } from '../processors/metrics/consent-minimize-metric';
import { metricNumberCut, metricValueGuard, numberChecks } from '../processors/metrics/metric-value-guard';
import type { MetricValueGuard, NumberChecks } from '../processors/metrics/metric-value-guard';
import type { MetricDescriptor } from '@opentelemetry/sdk-metrics';
import { cutPointNumbers, pointNumbersKind } from './otlp-json-point-numbers';
import { OtlpJsonConsent } from './otlp-json-consent';
import { OTLP_JSON_SHAPE } from './otlp-json-shape';
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

/** The OTLP messages of each signal's resource and scope levels (names in the OTLP field inventory). */
const LEVELS = {
  traces: { resource: 'ResourceSpans', scope: 'ScopeSpans' },
  metrics: { resource: 'ResourceMetrics', scope: 'ScopeMetrics' },
  logs: { resource: 'ResourceLogs', scope: 'ScopeLogs' },
} as const;

/** Messages rebuilt from the engine's output (never copied through), so not pruned field by field. */
const VALUE_MODEL: ReadonlySet<string> = new Set(['AnyValue', 'ArrayValue', 'KeyValue', 'KeyValueList']);

/** Whether the OTLP/JSON field `key` of `message` is classified `identifier` in the OTLP field inventory. */
function isIdentifierField(message: string, key: string): boolean {
  const id = `${message}.${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
  return Object.hasOwn(OTLP_FIELDS, id) && OTLP_FIELDS[id as OtlpFieldId].class === 'identifier';
}

/** Whether a shape type names a message (capitalized) rather than a protobuf scalar type. */
function isMessageType(type: string): boolean {
  const c = type.charCodeAt(0);
  return c >= 65 && c <= 90;
}

const INTEGER = /^-?[0-9]{1,20}$/;
const NON_FINITE: ReadonlySet<string> = new Set(['NaN', 'Infinity', '-Infinity']);

const INT32: readonly [bigint, bigint] = [-(BigInt(2) ** BigInt(31)), BigInt(2) ** BigInt(31) - BigInt(1)];
const UINT32: readonly [bigint, bigint] = [BigInt(0), BigInt(2) ** BigInt(32) - BigInt(1)];
const INT64: readonly [bigint, bigint] = [-(BigInt(2) ** BigInt(63)), BigInt(2) ** BigInt(63) - BigInt(1)];
const UINT64: readonly [bigint, bigint] = [BigInt(0), BigInt(2) ** BigInt(64) - BigInt(1)];
/** The range of each protobuf integer type: a value outside it (a card number in a 32-bit count) is not one. */
const INTEGER_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: INT32,
  sint32: INT32,
  sfixed32: INT32,
  uint32: UINT32,
  fixed32: UINT32,
  int64: INT64,
  sint64: INT64,
  sfixed64: INT64,
  uint64: UINT64,
  fixed64: UINT64,
};

const SEVERITY_ENUM = ['UNSPECIFIED'].concat(
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].map((s) => [s, `${s}2`, `${s}3`, `${s}4`]),
);
/**
 * The enum fields of OTLP (declared `int32` in the shape) and the names OTLP/JSON may write them by
 * (`SPAN_KIND_SERVER`, `SEVERITY_NUMBER_INFO`). Only these names are kept, and only in these fields: an upper-case
 * word anywhere else (`"flags": "AKIA…"`) or not a defined name is not an enum value.
 */
const ENUM_NAMES: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    'Span.kind': ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].map((n) => `SPAN_KIND_${n}`),
    'Status.code': ['UNSET', 'OK', 'ERROR'].map((n) => `STATUS_CODE_${n}`),
    'LogRecord.severityNumber': SEVERITY_ENUM.map((n) => `SEVERITY_NUMBER_${n}`),
    ...Object.fromEntries(
      ['Sum', 'Histogram', 'ExponentialHistogram'].map((m) => [
        `${m}.aggregationTemporality`,
        ['UNSPECIFIED', 'DELTA', 'CUMULATIVE'].map((n) => `AGGREGATION_TEMPORALITY_${n}`),
      ]),
    ),
  }).map(([field, names]) => [field, new Set(names)]),
);

/**
 * The largest value of each `flags` field: bits OTLP does not define are reserved (zero), so a flags field cannot
 * carry a 10-digit number (a phone) either. Spans and links: W3C trace flags and the two is-remote bits; log records
 * and data points: one byte (trace flags; the data points' one defined bit with room for new ones).
 */
const FLAGS_MAX: Readonly<Record<string, bigint>> = { 'Span.flags': BigInt(0x3ff), 'Span.Link.flags': BigInt(0x3ff) };
const OTHER_FLAGS_MAX = BigInt(0xff);

/**
 * Whether `value` (a number or a decimal string) is an integer within the range of the protobuf `type`, and of the
 * defined bits when `field` is a `flags` field.
 */
function integerFits(type: string, value: unknown, field: string): boolean {
  const range = INTEGER_RANGE[type];
  if (range === undefined) return false;
  let n: bigint;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return false;
    n = BigInt(value);
  } else if (typeof value === 'string' && INTEGER.test(value)) n = BigInt(value);
  else return false;
  if (field.endsWith('.flags') && n > (FLAGS_MAX[field] ?? OTHER_FLAGS_MAX)) return false;
  return n >= range[0] && n <= range[1];
}

/**
 * Whether an OTLP/JSON value has the protobuf scalar `type` (lists element by element): integers as numbers or
 * decimal strings (64-bit ones are strings) within the type's range, enum fields (`field` is `Message.name`) also
 * by one of their defined names, doubles as numbers or numeric strings, booleans. Strings and bytes are left to the
 * inventory (scanned, ruled, dropped) and always fit here.
 */
function scalarFits(type: string, value: unknown, field: string): boolean {
  if (Array.isArray(value)) return value.every((v) => scalarFits(type, v, field));
  switch (type) {
    case 'string':
    case 'bytes':
      return true;
    case 'bool':
      return typeof value === 'boolean';
    case 'double':
    case 'float':
      return (
        typeof value === 'number' ||
        (typeof value === 'string' &&
          (NON_FINITE.has(value) || (Number.isFinite(Number(value)) && value.trim() !== '')))
      );
    default:
      return (
        integerFits(type, value, field) || (typeof value === 'string' && ENUM_NAMES.get(field)?.has(value) === true)
      );
  }
}

/** An OTLP/JSON trace or span id: empty, or 16 or 32 hex digits. */
function isHexId(value: unknown): boolean {
  return (
    typeof value === 'string' && (value.length === 0 || value.length === 16 || value.length === 32) && HEX.test(value)
  );
}

const HEX = /^[0-9a-fA-F]*$/;

/** A guard only: outside the value model the OTLP message graph is acyclic and about ten levels deep (with lists). */
const MAX_PRUNE_DEPTH = 32;

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

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * An OTLP/JSON id as the span processor checks it (lowercase hex of `zero`'s length), or `zero` when it is not one:
 * only the trace state is written back from the sanitized span, the ids of the file stay as they are.
 */
function idOf(raw: unknown, zero: string): string {
  const id = String(raw ?? '').toLowerCase();
  return id.length === zero.length && HEX.test(id) ? id : zero;
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
 * The free-text fields of the OTLP field inventory (schema URLs, scope name and version, metric name, description
 * and unit, log event name and severity text) get their class from `engine/otlp-fields.ts`; `traceState` keeps
 * only the `ot` member; entity references, metric metadata and every field OTLP does not define
 * (`OTLP_JSON_SHAPE`, generated from the protobuf definitions) are removed. Requests are changed in place;
 * timestamps, ids and flags are left as they were; a metric point whose numbers are identifiers is removed (as
 * `PrivacyMetricExporter` does, see `pointNumbersKind`).
 */
export class OtlpJsonRedactor {
  private readonly spans: SpanRedactor;
  private readonly logs: PrivacyLogRecordProcessor;
  private emitted: ReadWriteLogRecord | undefined;
  /** With a `consent` section: the processors' drop/minimize decisions on OTLP/JSON. */
  private readonly consent: OtlpJsonConsent | undefined;
  /** The number checks the policy enables for metric points (`values.detectors`, `values.scanNumbers`). */
  private readonly checks: NumberChecks;

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
    const gate = policy.compiled.consent;
    this.consent = gate === undefined ? undefined : new OtlpJsonConsent(policy, gate);
    this.checks = numberChecks(policy.compiled.values);
  }

  /**
   * Sanitizes one export request in place: every signal key it carries. Throws an `OtlpShapeError`,
   * before changing anything, for a top-level key that is not a signal key (fail closed: unknown data
   * is never copied through).
   */
  sanitize(request: Json): void {
    const unknown = unknownTopLevelKey(request);
    if (unknown !== undefined) throw new OtlpShapeError(unknown);
    this.consent?.markTraces(request);
    for (const signal of detectSignals(request)) {
      const key = SIGNAL_KEYS[signal];
      for (const [i, r] of list<Json>(request[key], key).entries()) {
        const where = `${key}[${i}]`;
        obj(r, where);
        this.pruneUnknown(signal, LEVELS[signal].resource, r, 0);
        const resource = this.resource(r.resource as OtlpResource | undefined, `${where}.resource`);
        this.textFields(signal, LEVELS[signal].resource, r);
        this.entityRefs(signal, r.resource);
        if (signal === 'traces') this.traces(r, resource, where);
        else if (signal === 'metrics') this.metrics(r, where);
        else this.logsOf(r, resource, where);
      }
    }
    this.report.items.requests++;
  }

  /**
   * The fields of one OTLP message whose class in the OTLP field inventory is `scanned` or `dropped` (schema URLs,
   * scope name and version, metric name, description and unit, …), in place: scanned strings through the policy's
   * value scanner, dropped fields (and anything that is not a string where text belongs) removed.
   */
  private textFields(signal: OtlpSignal, message: string, o: unknown): void {
    if (typeof o !== 'object' || o === null) return;
    const json = o as Json;
    for (const [name, id] of textFieldsOf(message)) {
      if (!Object.hasOwn(json, name)) continue;
      const before = json[name];
      const after = typeof before === 'string' ? redactTextField(id, before, this.scan) : undefined;
      this.report.textField(signalWhere[signal], `(${id})`, typeof before === 'string' ? before : '', after);
      if (after === undefined) delete json[name];
      else json[name] = after;
    }
  }

  /**
   * Removes, in place, every field OTLP does not define for `message` (and below it): unknown data is never copied
   * through. Values and attribute lists are not visited: they are rebuilt from what the engine kept. Counted in the
   * report as `(unknown field)`, dropped.
   */
  private pruneUnknown(signal: OtlpSignal, message: string, value: unknown, depth: number): void {
    if (typeof value !== 'object' || value === null || VALUE_MODEL.has(message) || depth > MAX_PRUNE_DEPTH) return;
    if (Array.isArray(value)) {
      for (const item of value) this.pruneUnknown(signal, message, item, depth + 1);
      return;
    }
    const shape = OTLP_JSON_SHAPE[message];
    if (shape === undefined) return;
    const json = value as Json;
    for (const key of Object.keys(json)) {
      if (!Object.hasOwn(shape, key)) {
        delete json[key];
        this.report.count(signalWhere[signal], '(unknown field)', 'dropped');
        continue;
      }
      const type = shape[key];
      if (isMessageType(type)) this.pruneUnknown(signal, type, json[key], depth + 1);
      else if (
        isIdentifierField(message, key) ? !isHexId(json[key]) : !scalarFits(type, json[key], `${message}.${key}`)
      ) {
        // Ids and numbers are written as they are: only what can be one (a hex id, a number of the field's
        // type) is kept, so no text travels where a number or an id belongs.
        delete json[key];
        this.report.count(signalWhere[signal], `(${message}.${key}: not a ${type})`, 'dropped');
      }
    }
  }

  /** A resource's entity references: their fields are classified `dropped`; references left empty are removed. */
  private entityRefs(signal: OtlpSignal, resource: unknown): void {
    if (typeof resource !== 'object' || resource === null) return;
    const r = resource as Json;
    if (!Object.hasOwn(r, 'entityRefs')) return;
    const refs = Array.isArray(r.entityRefs) ? (r.entityRefs as unknown[]) : [];
    for (const ref of refs) this.textFields(signal, 'EntityRef', ref);
    const kept = refs.filter((ref) => typeof ref === 'object' && ref !== null && Object.keys(ref).length > 0);
    if (kept.length === 0) delete r.entityRefs;
    else r.entityRefs = kept;
  }

  private readonly scan = (text: string): string | undefined => this.policy.scanText(text);

  /** A scope level (`ScopeSpans`, …): its schema URL, and its scope's name, version (and attributes, by the caller). */
  private scopeLevel(signal: OtlpSignal, level: Json, scope: OtlpScope | undefined): void {
    this.textFields(signal, LEVELS[signal].scope, level);
    this.textFields(signal, 'InstrumentationScope', scope);
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
      this.scopeLevel('traces', ss, scope);
      // The processors' view of the scope (its raw name selects the rules); what is written is sanitized above.
      const sdkScope = scope === undefined ? undefined : { name: scopeName ?? '' };
      const kept: Json[] = [];
      for (const [k, span] of list<Json>(ss.spans, `${where}.scopeSpans[${j}].spans`).entries()) {
        const at = `${where}.scopeSpans[${j}].spans[${k}]`;
        obj(span, at);
        this.report.items.spans++;
        const attributes = fromKeyValues(span.attributes as OtlpKeyValue[], `${at}.attributes`) as Attributes;
        const events = list<Json>(span.events, `${at}.events`);
        let links = list<Json>(span.links, `${at}.links`);
        // links into an opted-out subject's trace: removed (drop) or minimized (minimize), as the span processor does
        const linkConsent = this.consent?.links(links, sanitizer.rules);
        if (linkConsent !== undefined && linkConsent.removed > 0) {
          links = linkConsent.links;
          span.links = links;
          this.policy.counters.consentLinksRemoved += linkConsent.removed;
          this.report.items.consentLinksRemoved += linkConsent.removed;
        }
        const status = (span.status ?? {}) as { code?: number; message?: string };
        const name = typeof span.name === 'string' ? span.name : '';
        const spanContext = {
          traceId: idOf(span.traceId, ZERO_TRACE_ID),
          spanId: idOf(span.spanId, ZERO_SPAN_ID),
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
          // the code is the JSON's own (checked above, never written back): the engine decides only the message
          status: { code: 0, message: status.message },
          attributes,
          events: events.map((e, m) => ({
            name: typeof e.name === 'string' ? e.name : '',
            time: hrTimeOf(e.timeUnixNano),
            attributes:
              e.attributes === undefined
                ? undefined
                : fromKeyValues(e.attributes as OtlpKeyValue[], `${at}.events[${m}].attributes`),
          })),
          links: links.map((l, m) => {
            const link: Link = {
              context: { traceId: ZERO_TRACE_ID, spanId: ZERO_SPAN_ID, traceFlags: 0, traceState: traceStateOf(l) },
              attributes:
                l.attributes === undefined
                  ? undefined
                  : (fromKeyValues(l.attributes as OtlpKeyValue[], `${at}.links[${m}].attributes`) as Attributes),
            };
            const minimize = linkConsent?.minimize.get(m);
            return minimize === undefined ? link : minimizedLink(minimize, link);
          }),
          resource,
          instrumentationScope: sdkScope,
          droppedAttributesCount: 0,
          droppedEventsCount: 0,
          droppedLinksCount: 0,
        } as unknown as ReadableSpan;
        let out: ReadableSpan;
        try {
          const consent = this.consent?.span(input);
          if (consent === 'drop') {
            this.policy.counters.consentSuppressed.traces++;
            this.report.items.consentSuppressed++;
            continue;
          }
          const rank = this.spans.rankAtEnd(input, undefined);
          out = this.spans.sanitizedCopy(
            consent ? premaskedSpanCopy(input, consent, this.spans.compiledOf(rank)) : input,
            undefined,
            rank,
          );
          if (consent) out = minimizedSpanCopy(out, consent);
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
          // traces.eventTimestampPrecision, as the span processor rounds it
          if (o.time !== input.events[m]!.time && e.timeUnixNano !== undefined) e.timeUnixNano = nanosOf(o.time);
          if (o.attributes !== undefined) {
            this.report.attributes('traces', sanitizer, input.events[m]!.attributes!, o.attributes);
            e.attributes = toKeyValues(o.attributes, e.attributes as OtlpKeyValue[]);
          }
        });
        this.traceState(span, '(Span.trace_state)');
        links.forEach((l, m) => {
          this.traceState(l, '(Span.Link.trace_state)');
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

  /**
   * `traceState` of a span or link through the policy's trace-state filter (`traces.traceState`), in place, with
   * the change reported; a value that is not a string is removed.
   */
  private traceState(o: Json, key: string): void {
    if (!Object.hasOwn(o, 'traceState')) return;
    const before = o.traceState;
    const filtered = typeof before === 'string' ? this.policy.traceStateFilter.filter(before) : '';
    const after = filtered === '' ? undefined : filtered;
    this.report.textField('traces', key, typeof before === 'string' ? before : '', after);
    if (after === undefined) delete o.traceState;
    else o.traceState = after;
  }

  private metrics(r: Json, where: string): void {
    for (const [j, sm] of list<Json>(r.scopeMetrics, `${where}.scopeMetrics`).entries()) {
      const scope = sm.scope as OtlpScope | undefined;
      const sanitizer = this.policy.sanitizer('metrics', scope?.name);
      this.scopeAttributes('metrics', scope, sanitizer, `${where}.scopeMetrics[${j}].scope`);
      this.scopeLevel('metrics', sm, scope);
      const kept: Json[] = [];
      for (const [k, metric] of list<Json>(sm.metrics, `${where}.scopeMetrics[${j}].metrics`).entries()) {
        const at = `${where}.scopeMetrics[${j}].metrics[${k}]`;
        obj(metric, at);
        const hadName = typeof metric.name === 'string' && metric.name !== '';
        // As PrivacyMetricExporter: the numbers are checked by the instrument as written (name, description, unit).
        const guard = this.numberGuard(metric);
        // As PrivacyMetricExporter: identifier-shaped numbers of the points kept are cut (`metricNumberCut`)
        const cut =
          this.checks.card || this.checks.phone
            ? metricNumberCut(guard, typeof metric.unit === 'string' ? metric.unit : '', this.checks)
            : undefined;
        this.textFields('metrics', 'Metric', metric);
        if (hadName && metric.name === undefined) {
          // As PrivacyMetricExporter: a metric whose name must be dropped is dropped whole, and counted.
          this.report.items.metricsDroppedForName++;
          continue;
        }
        kept.push(metric);
        for (const kind of ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary']) {
          const data = metric[kind] as Json | undefined;
          if (data === undefined) continue;
          const points: Json[] = [];
          for (const [p, point] of list<Json>(data.dataPoints, `${at}.${kind}.dataPoints`).entries()) {
            this.report.items.metricPoints++;
            const consent = this.pointConsent(point.attributes, `${at}.${kind}.dataPoints[${p}].attributes`);
            if (consent === 'drop') continue;
            if (guard !== undefined && (guard.identifierInstrument || pointNumbersKind(guard, point, this.checks))) {
              // a number that is a card or phone number (or any number of an instrument named for an identifier)
              this.policy.counters.identifierValues++;
              this.report.items.metricIdentifierValues++;
              continue;
            }
            points.push(point);
            if (cut !== undefined) this.report.items.metricNumbersCut += cutPointNumbers(point, cut);
            point.attributes = this.attributesThrough(
              'metrics',
              sanitizer,
              point.attributes as OtlpKeyValue[],
              `${at}.${kind}.dataPoints[${p}].attributes`,
              'a measurement lost its attributes',
              consent === 'minimize',
            );
            const exemplars: Json[] = [];
            for (const [x, ex] of list<Json>(point.exemplars, `${at}.${kind}.dataPoints[${p}].exemplars`).entries()) {
              const where = `${at}.${kind}.dataPoints[${p}].exemplars[${x}].filteredAttributes`;
              const exemplarConsent = this.pointConsent(ex.filteredAttributes, where, ex.traceId);
              if (exemplarConsent === 'drop') continue;
              exemplars.push(ex);
              if (ex.filteredAttributes !== undefined)
                ex.filteredAttributes = this.attributesThrough(
                  'metrics',
                  sanitizer,
                  ex.filteredAttributes as OtlpKeyValue[],
                  where,
                  'a measurement lost its attributes',
                  exemplarConsent === 'minimize',
                );
            }
            if (point.exemplars !== undefined) point.exemplars = exemplars;
          }
          if (data.dataPoints !== undefined && points.length !== (data.dataPoints as Json[]).length) {
            data.dataPoints = points;
            // As PrivacyMetricExporter: a metric left without points is not written.
            if (points.length === 0) kept.pop();
          }
        }
      }
      if (sm.metrics !== undefined) sm.metrics = kept;
    }
  }

  /** The number checks of a metric as `PrivacyMetricExporter` decides them (`metricValueGuard`), if any apply. */
  private numberGuard(metric: Json): MetricValueGuard | undefined {
    if (!this.checks.card && !this.checks.phone) return undefined;
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    return metricValueGuard({
      name: text(metric.name),
      description: text(metric.description),
      unit: text(metric.unit),
    } as MetricDescriptor);
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
    minimize = false,
  ): OtlpKeyValue[] {
    const before = fromKeyValues(kvs, where) as Attributes;
    let after: Attributes;
    try {
      after = sanitizer.sanitize(before);
      if (minimize) {
        after = { ...after };
        const gate = this.policy.compiled.consent!;
        const minimized = minimizeMetricAttributes(
          this.policy,
          gate,
          sanitizer.rules,
          before,
          after,
          undefined,
          this.consent?.knownSubject(before),
        );
        if (!minimized) {
          // not minimized with certainty (a value nested deeper than the engine keeps, or more identifier values than a mask covers): no attributes (fail closed), counted
          this.policy.counters.consentSuppressed.metrics++;
          this.report.items.consentSuppressed++;
          after = {};
        }
      }
    } catch (err) {
      this.policy.counters.recordFailure(signal, outcome, err);
      this.report.items.failed++;
      after = {};
    }
    this.report.attributes(signalWhere[signal], sanitizer, before, after);
    return toKeyValues(after, kvs);
  }

  /** `consent` for a metric point or exemplar (raw attributes, its trace id): dropped ones are counted here. */
  private pointConsent(kvs: unknown, where: string, traceId?: unknown): 'drop' | 'minimize' | undefined {
    if (this.consent === undefined) return undefined;
    const attributes = fromKeyValues(kvs as OtlpKeyValue[] | undefined, where) as Attributes;
    const decision = this.consent.point(
      attributes,
      typeof traceId === 'string' && traceId !== '' ? traceId : undefined,
    );
    if (decision === 'drop') {
      this.policy.counters.consentSuppressed.metrics++;
      this.report.items.consentSuppressed++;
    }
    return decision;
  }

  private logsOf(r: Json, resource: Resource, where: string): void {
    for (const [j, sl] of list<Json>(r.scopeLogs, `${where}.scopeLogs`).entries()) {
      const scope = sl.scope as OtlpScope | undefined;
      const scopeName = scope?.name;
      const sanitizer = this.policy.sanitizer('logs', scopeName);
      this.scopeAttributes('logs', scope, sanitizer, `${where}.scopeLogs[${j}].scope`);
      this.scopeLevel('logs', sl, scope);
      const sdkScope = { name: scopeName ?? '' };
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
          instrumentationScope: sdkScope,
          severityNumber: severityNumber(lr.severityNumber),
          severityText: typeof lr.severityText === 'string' ? lr.severityText : undefined,
          eventName: typeof lr.eventName === 'string' ? lr.eventName : undefined,
          spanContext: traceId
            ? { traceId, spanId: String(lr.spanId ?? ''), traceFlags: Number(lr.flags ?? 0) & 1 }
            : undefined,
          hrTime: hrTimeOf(lr.timeUnixNano),
          hrTimeObserved: hrTimeOf(lr.observedTimeUnixNano),
        };
        const before = {
          below: this.logs.dropped.belowMinSeverity,
          sampled: this.logs.dropped.sampledOut,
          failed: this.policy.counters.dropped.logs.failed,
          consent: this.policy.counters.consentSuppressed.logs,
        };
        const times = { time: record.hrTime, observed: record.hrTimeObserved }; // the processor replaces them
        this.emitted = undefined;
        this.logs.onEmit(record as unknown as ReadWriteLogRecord);
        if (this.emitted === undefined) {
          this.report.items.logsBelowMinSeverity += this.logs.dropped.belowMinSeverity - before.below;
          this.report.items.logsSampledOut += this.logs.dropped.sampledOut - before.sampled;
          this.report.items.failed += this.policy.counters.dropped.logs.failed - before.failed;
          this.report.items.consentSuppressed += this.policy.counters.consentSuppressed.logs - before.consent;
          continue;
        }
        const out = this.emitted as unknown as {
          attributes: Attributes;
          body?: unknown;
          eventName?: string;
          severityText?: string;
          hrTime: HrTime;
          hrTimeObserved: HrTime;
        };
        // logs.timestampPrecision, as the log processor rounds them
        if (lr.timeUnixNano !== undefined && out.hrTime !== times.time) lr.timeUnixNano = nanosOf(out.hrTime);
        if (lr.observedTimeUnixNano !== undefined && out.hrTimeObserved !== times.observed)
          lr.observedTimeUnixNano = nanosOf(out.hrTimeObserved);
        for (const [name, key] of [
          ['eventName', '(LogRecord.event_name)'],
          ['severityText', '(LogRecord.severity_text)'],
        ] as const) {
          if (!Object.hasOwn(lr, name)) continue;
          const before = lr[name];
          this.report.textField('logs', key, typeof before === 'string' ? before : '', out[name]);
          if (out[name] === undefined) delete lr[name];
          else lr[name] = out[name];
        }
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

/**
 * The SDK time (`[seconds, nanoseconds]`) of an OTLP/JSON `…UnixNano` field (a decimal string or a number), `[0, 0]`
 * when absent or not a non-negative integer (the shape check writes such a field as it was).
 */
function hrTimeOf(v: unknown): HrTime {
  let ns: bigint;
  try {
    if (typeof v === 'string' && /^\d{1,20}$/.test(v)) ns = BigInt(v);
    else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) ns = BigInt(v);
    else return [0, 0];
  } catch {
    return [0, 0];
  }
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/** An SDK time as the decimal string OTLP/JSON writes a `…UnixNano` field in. */
function nanosOf(t: HrTime): string {
  return String(BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]));
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
