/**
 * The field-canary suite's one module: the canary of every field of the OTLP field inventory (engine/otlp-fields.ts),
 * the code that writes those canaries (through the OpenTelemetry API of any SDK line, or as OTLP/JSON for
 * `otel-privacy scan`), and the code that searches what was exported for them and checks each field's outcome.
 * `otlp-field-canaries.test.ts` (SDK 3.x and 2.x providers, `scan`) and `register-field-canaries.test.ts` (the
 * register hook in a child process, whose app `testdata/field-canary-app.ts` writes through this module too) use it.
 */
import type { Attributes, Context, Meter, SpanContext, TraceState, Tracer } from '@opentelemetry/api';
import protobuf from 'protobufjs';
import { OTLP_FIELDS, jsonFieldName } from '../../engine/otlp-fields';
import type { OtlpFieldId } from '../../engine/otlp-fields';
import type { Policy } from '../../policy/policy';
import { OTLP_REQUESTS, loadOtlpRoot } from '../../scripts/otlp-inventory';

/** A signal, as the export requests name it. */
export type Signal = keyof typeof OTLP_REQUESTS;
type Json = Record<string, unknown>;

const root = loadOtlpRoot();
/** Every field of the inventory. */
export const ALL_FIELDS = Object.keys(OTLP_FIELDS) as OtlpFieldId[];

const slug = (id: string): string => id.toLowerCase().replace(/[._]/g, '-');
/** The canary of a field: a fake e-mail address naming it. */
export const canaryOf = (id: string): string => `canary-${slug(id)}@example.test`;
/** The text written into a field: a tag that survives masking, then the canary. */
export const tagOf = (id: string): string => `t-${slug(id)}`;
/** The whole text written into a field. */
export const textOf = (id: string): string => `${tagOf(id)} ${canaryOf(id)}`;
/** What a field whose canary was masked holds. */
export const MASKED = (id: string): string => `${tagOf(id)} [REDACTED:email]`;

/** Whether a field's canary can be text: identifiers are bytes the SDK makes from hex ids. */
export const textual = (id: OtlpFieldId): boolean => OTLP_FIELDS[id].class !== 'identifier';

/**
 * The fields an application can write (inventory source `app`, text): what every SDK-path run must write a canary
 * into, less the fields `unreachable` names (each with the reason the path cannot reach it).
 */
export function appWritableFields(unreachable: Partial<Record<OtlpFieldId, string>> = {}): OtlpFieldId[] {
  return ALL_FIELDS.filter((id) => OTLP_FIELDS[id].source === 'app' && textual(id) && !(id in unreachable));
}

/** What must have happened to a field: its canary masked in place, the field (or its entry) dropped, hashed, filtered. */
export type Outcome =
  | { readonly kind: 'masked' }
  | { readonly kind: 'dropped' }
  | { readonly kind: 'pseudonymized'; readonly key: string }
  | { readonly kind: 'filtered' };

/**
 * The outcome of a `rules` field depends on the key it was written under; these are the keys the writers below
 * use (the default policy allows `url.path`, `http.route`, `code.*`, `otel.scope.*`, `service.*`, hashes
 * `user.id`, has no rule for the status-message pseudo key and keeps log bodies scanned).
 */
const RULES_OUTCOMES: Partial<Record<OtlpFieldId, Outcome>> = {
  'AnyValue.array_value': { kind: 'masked' },
  'AnyValue.kvlist_value': { kind: 'masked' },
  'ArrayValue.values': { kind: 'masked' },
  'KeyValueList.values': { kind: 'masked' },
  'KeyValue.key': { kind: 'dropped' },
  'KeyValue.value': { kind: 'pseudonymized', key: 'user.id' },
  'InstrumentationScope.attributes': { kind: 'masked' },
  'Resource.attributes': { kind: 'masked' },
  'Span.attributes': { kind: 'masked' },
  'Span.Event.attributes': { kind: 'masked' },
  'Span.Link.attributes': { kind: 'masked' },
  'Status.message': { kind: 'dropped' },
  'NumberDataPoint.attributes': { kind: 'masked' },
  'HistogramDataPoint.attributes': { kind: 'masked' },
  'ExponentialHistogramDataPoint.attributes': { kind: 'masked' },
  'SummaryDataPoint.attributes': { kind: 'masked' },
  'Exemplar.filtered_attributes': { kind: 'masked' },
  'LogRecord.body': { kind: 'masked' },
  'LogRecord.attributes': { kind: 'masked' },
};

/** `AnyValue.bytes_value` is written under a key the default policy does not keep (keeping bytes is another item). */
const BYTES_OUTCOME: Outcome = { kind: 'dropped' };

/** The outcome the default policy must give a field's canary (from the field's class, or the key it is written under). */
export function expectedOutcome(id: OtlpFieldId): Outcome {
  const c = OTLP_FIELDS[id].class;
  if (id === 'AnyValue.bytes_value') return BYTES_OUTCOME;
  if (c === 'scanned' || c === 'sanitized:span-name') return { kind: 'masked' };
  if (c === 'dropped') return { kind: 'dropped' };
  if (c === 'filtered:trace-state') return { kind: 'filtered' };
  const o = RULES_OUTCOMES[id];
  if (o === undefined) throw new Error(`no expected outcome for the rules field ${id}`);
  return o;
}

/** Every value found at each inventoried field (`Message.field`) of an OTLP/JSON-shaped object. */
export function collect(typeName: string, value: unknown, out: Map<string, unknown[]>): void {
  if (typeof value !== 'object' || value === null) return;
  const type = root.lookupType(`otlp.${typeName}`);
  for (const field of type.fieldsArray) {
    const v = (value as Json)[jsonFieldName(field.name)];
    if (v === undefined) continue;
    const id = `${typeName}.${field.name}`;
    const list = out.get(id) ?? [];
    out.set(id, list);
    list.push(v);
    if (field.resolvedType instanceof protobuf.Type) {
      const name = field.resolvedType.fullName.replace(/^\.otlp\./, '');
      for (const item of Array.isArray(v) ? v : [v]) collect(name, item, out);
    }
  }
}

/** Text of collected values: strings as they are, byte arrays (decoded as number lists) as latin1. */
function textOfValues(values: readonly unknown[]): string {
  return JSON.stringify(values, (_key, v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number')
      ? Buffer.from(v as number[]).toString('latin1')
      : v,
  );
}

/** The needles a canary is searched as: raw, base64 and hex. */
export function needlesOf(id: string): string[] {
  const c = canaryOf(id);
  return [c, Buffer.from(c).toString('base64'), Buffer.from(c).toString('hex')];
}

/** The ids whose canaries (raw, base64, hex) are found in the received bytes or in the decoded text. */
export function leaks(ids: readonly string[], raw: Buffer, decoded: string): string[] {
  const out: string[] = [];
  for (const id of ids)
    for (const needle of needlesOf(id))
      if (raw.includes(needle) || raw.includes(Buffer.from(needle)) || decoded.includes(needle)) out.push(id);
  return [...new Set(out)];
}

/** Checks one field's outcome in the collected values; returns a complaint or undefined. */
export function checkOutcome(
  id: OtlpFieldId,
  found: Map<string, unknown[]>,
  policy: Policy,
  signal: Signal,
): string | undefined {
  const values = found.get(id) ?? [];
  const text = textOfValues(values);
  const outcome = expectedOutcome(id);
  switch (outcome.kind) {
    case 'masked':
      return text.includes(MASKED(id)) ? undefined : `${id}: expected "${MASKED(id)}" there, found ${text}`;
    case 'dropped':
      return text.includes(tagOf(id)) ? `${id}: expected dropped, found ${text}` : undefined;
    case 'pseudonymized': {
      const pseudonym = policy.sanitizer(signal).sanitizeValue(outcome.key, textOf(id));
      return typeof pseudonym === 'string' && /^k0:[A-Za-z0-9_-]{22}$/.test(pseudonym) && text.includes(pseudonym)
        ? undefined
        : `${id}: expected the pseudonym ${String(pseudonym)}, found ${text}`;
    }
    case 'filtered':
      return text.includes(canaryOf(id)) || !text.includes('ot=th:8')
        ? `${id}: expected only the ot member, found ${text}`
        : undefined;
  }
}

/**
 * Checks every written field's outcome in decoded OTLP export requests (`{ signal, decoded }`, as the test
 * receiver records them); returns the complaints.
 */
export function checkOutcomes(
  written: ReadonlyMap<OtlpFieldId, Signal>,
  requests: readonly { readonly signal: Signal; readonly decoded: unknown }[],
  policy: Policy,
): string[] {
  const complaints: string[] = [];
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    const found = new Map<string, unknown[]>();
    for (const r of requests) if (r.signal === signal) collect(OTLP_REQUESTS[signal], r.decoded, found);
    for (const [id, s] of written) {
      if (s !== signal) continue;
      const complaint = checkOutcome(id, found, policy, signal);
      if (complaint !== undefined) complaints.push(complaint);
    }
  }
  return complaints;
}

/** Records which field got its canary through which signal; returns the text to write there. */
export type CanaryText = (id: OtlpFieldId, signal: Signal) => string;

/** A recorder of written fields: `text` writes, `written` is what was written. */
export function canaryRecorder(): { readonly written: Map<OtlpFieldId, Signal>; readonly text: CanaryText } {
  const written = new Map<OtlpFieldId, Signal>();
  return {
    written,
    text: (id, signal) => {
      written.set(id, signal);
      return textOf(id);
    },
  };
}

/** A resource `schemaUrl` carrying a field's canary. */
export const schemaUrlOf = (id: OtlpFieldId, signal: Signal, text: CanaryText): string =>
  `https://schema.example/ ${text(id, signal)}`;

/** A log record as `Logger.emit` takes it, on every SDK line. */
interface CanaryLogRecord {
  body?: unknown;
  severityText?: string;
  eventName?: string;
  attributes?: Record<string, unknown>;
}

/**
 * Where a field-canary writer gets its tracer, logger and meter (with the scope options the API takes), and the
 * two API calls it needs from the SDK line's `@opentelemetry/api`: whatever the line and the set-up (providers built
 * by hand, or the globals the register hook installs).
 */
export interface CanaryApi {
  tracer(name: string, version: string, options: { schemaUrl: string }): Tracer;
  logger(
    name: string,
    version: string,
    options: { schemaUrl: string; attributes: Attributes },
  ): { emit(record: CanaryLogRecord): void };
  meter(name: string, version: string, options: { schemaUrl: string }): Meter;
  /** The API's `createTraceState`. */
  createTraceState(text: string): TraceState;
  /** The API's `trace.setSpanContext` on the active context. */
  withSpanContext(spanContext: SpanContext): Context;
  /** Whether histograms named `canary.exponential` are aggregated as exponential histograms (a view). */
  readonly exponentialHistograms: boolean;
}

/** The instrument name the SDK-path set-ups map to an exponential-histogram aggregation. */
export const EXPONENTIAL_INSTRUMENT = 'canary.exponential';

/**
 * Writes a canary into every field an application can reach through the OpenTelemetry API below the resource
 * (scope, span, event, link, status, trace state, log record, metric, data points); the resource's fields are the
 * set-up's (`resourceAttributes`, `schemaUrlOf`). `ids` supplies trace and span ids. Ends the span, emits the record,
 * records the measurements.
 */
export function writeFieldCanaries(api: CanaryApi, text: CanaryText, ids: () => { trace: string; span: string }): void {
  // Traces.
  const tracer = api.tracer(
    text('InstrumentationScope.name', 'traces'),
    text('InstrumentationScope.version', 'traces'),
    {
      schemaUrl: schemaUrlOf('ScopeSpans.schema_url', 'traces', text),
    },
  );
  const vendor = (id: OtlpFieldId): TraceState =>
    api.createTraceState(`ot=th:8,vendor=${text(id, 'traces').replace(' ', '-')}`);
  const link = ids();
  const linked: SpanContext = {
    traceId: link.trace,
    spanId: link.span,
    traceFlags: 1,
    traceState: vendor('Span.Link.trace_state'),
  };
  const parent = ids();
  const span = tracer.startSpan(
    text('Span.name', 'traces'),
    {
      attributes: {
        'url.path': text('Span.attributes', 'traces'),
        'user.id': text('KeyValue.value', 'traces'),
        [canaryOf('KeyValue.key')]: text('KeyValue.key', 'traces'),
        'http.route': text('AnyValue.string_value', 'traces'),
        'code.tags': [text('AnyValue.array_value', 'traces')],
        'code.list': ['first', text('ArrayValue.values', 'traces')],
      },
      links: [{ context: linked, attributes: { 'url.path': text('Span.Link.attributes', 'traces') } }],
    },
    api.withSpanContext({
      traceId: parent.trace,
      spanId: parent.span,
      traceFlags: 1,
      isRemote: true,
      traceState: vendor('Span.trace_state'),
    }),
  );
  span.addEvent(text('Span.Event.name', 'traces'), { 'url.path': text('Span.Event.attributes', 'traces') });
  span.setStatus({ code: 2, message: text('Status.message', 'traces') });
  span.end();

  // Logs.
  api
    .logger('field-canaries', '1.0.0', {
      schemaUrl: schemaUrlOf('ScopeLogs.schema_url', 'logs', text),
      attributes: { 'otel.scope.note': text('InstrumentationScope.attributes', 'logs') },
    })
    .emit({
      body: text('LogRecord.body', 'logs'),
      severityText: text('LogRecord.severity_text', 'logs'),
      eventName: text('LogRecord.event_name', 'logs'),
      attributes: {
        'url.path': text('LogRecord.attributes', 'logs'),
        'code.context': { note: text('AnyValue.kvlist_value', 'logs') },
        'code.details': { first: 'x', note: text('KeyValueList.values', 'logs') },
        'app.bytes': new TextEncoder().encode(text('AnyValue.bytes_value', 'logs')),
      },
    });

  // Metrics.
  const meter = api.meter('field-canaries', '1.0.0', {
    schemaUrl: schemaUrlOf('ScopeMetrics.schema_url', 'metrics', text),
  });
  meter
    .createCounter(text('Metric.name', 'metrics'), {
      description: text('Metric.description', 'metrics'),
      unit: text('Metric.unit', 'metrics'),
    })
    .add(1, { 'url.path': text('NumberDataPoint.attributes', 'metrics') });
  meter.createHistogram('canary.histogram').record(3, {
    'url.path': text('HistogramDataPoint.attributes', 'metrics'),
  });
  if (api.exponentialHistograms)
    meter.createHistogram(EXPONENTIAL_INSTRUMENT).record(3, {
      'url.path': text('ExponentialHistogramDataPoint.attributes', 'metrics'),
    });
}

/** The resource attributes of an SDK-path set-up: the service name, and a canary under a key the policy keeps. */
export function resourceAttributes(service: string, signal: Signal, text: CanaryText): Attributes {
  return { 'service.name': service, 'service.namespace': text('Resource.attributes', signal) };
}

/** The key a generated attribute list uses: one the default policy keeps, so the value is scanned. */
function keyFor(id: string): string {
  if (id === 'Resource.attributes') return 'service.namespace';
  if (id === 'InstrumentationScope.attributes') return 'otel.scope.note';
  return 'url.path';
}

const VALUE_MODEL = new Set(['AnyValue', 'ArrayValue', 'KeyValue', 'KeyValueList']);

/** The value-model fields, each written as its own attribute (into span attributes). */
function valueModelAttributes(): Json[] {
  const s = (id: string) => ({ stringValue: textOf(id) });
  return [
    { key: canaryOf('KeyValue.key'), value: s('KeyValue.key') },
    { key: 'user.id', value: s('KeyValue.value') },
    { key: 'http.route', value: s('AnyValue.string_value') },
    { key: 'code.tags', value: { arrayValue: { values: [s('AnyValue.array_value')] } } },
    { key: 'code.list', value: { arrayValue: { values: [{ stringValue: 'first' }, s('ArrayValue.values')] } } },
    { key: 'code.context', value: { kvlistValue: { values: [{ key: 'note', value: s('AnyValue.kvlist_value') }] } } },
    { key: 'code.details', value: { kvlistValue: { values: [{ key: 'note', value: s('KeyValueList.values') }] } } },
    { key: 'app.bytes', value: { bytesValue: Buffer.from(textOf('AnyValue.bytes_value')).toString('base64') } },
  ];
}

/**
 * An OTLP/JSON export request with a canary in every inventoried field reachable from it, generated from the
 * protobuf definitions and the inventory (no hand-written list of fields), for `otel-privacy scan`. `written` gets
 * every id that got a canary, including `Message.future_text` (a field OTLP does not define) and `Message.field.scalar`
 * (text where a number, enum or flag belongs).
 */
export function generateOtlpJson(typeName: string, written: Set<string>): Json {
  // A field OTLP does not define, at every level below the request (an unknown top-level field refuses the whole
  // request): scan must not copy it through.
  const out: Json = {};
  if (!(Object.values(OTLP_REQUESTS) as string[]).includes(typeName)) {
    out.futureText = canaryOf(`${typeName}.future_text`);
    written.add(`${typeName}.future_text`);
  }
  const type = root.lookupType(`otlp.${typeName}`);
  for (const field of type.fieldsArray) {
    const id = `${typeName}.${field.name}` as OtlpFieldId;
    const name = jsonFieldName(field.name);
    const resolved = field.resolvedType;
    const message = resolved instanceof protobuf.Type ? resolved.fullName.replace(/^\.otlp\./, '') : undefined;
    const one = (v: unknown) => (field.repeated ? [v] : v);
    if (!Object.hasOwn(OTLP_FIELDS, id)) {
      if (message !== undefined && !VALUE_MODEL.has(message)) out[name] = one(generateOtlpJson(message, written));
      else if (message === undefined) {
        // A number, enum or flag field: text there must not be copied through either.
        out[name] = one(canaryOf(`${id}.scalar`));
        written.add(`${id}.scalar`);
      }
      continue;
    }
    written.add(id);
    // Ids: a canary where an id belongs (not an id: removed); the SDK path sends real ids.
    if (OTLP_FIELDS[id].class === 'identifier') out[name] = canaryOf(id);
    else if (OTLP_FIELDS[id].class === 'filtered:trace-state') out[name] = `ot=th:8,vendor=${canaryOf(id)}`;
    else if (message === 'KeyValue') {
      const list: Json[] = [{ key: keyFor(id), value: { stringValue: textOf(id) } }];
      if (id === 'Span.attributes') {
        list.push(...valueModelAttributes());
        for (const v of ['KeyValue', 'AnyValue', 'ArrayValue', 'KeyValueList'])
          for (const f of ALL_FIELDS) if (f.startsWith(`${v}.`)) written.add(f);
      }
      out[name] = list;
    } else if (message === 'AnyValue') out[name] = { stringValue: textOf(id) };
    else out[name] = one(textOf(id));
  }
  return out;
}
