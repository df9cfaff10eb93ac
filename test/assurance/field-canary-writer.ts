/**
 * The field-canary writers: the canary of each OTLP inventory field and the code that writes it through the
 * OpenTelemetry API. Apart from field-canaries.ts (which re-exports all of it) because it runs inside applications
 * (testdata/field-canary-app.ts, under the register hook; bundled for the consumer tests): it imports nothing at
 * run time.
 */
import type { Attributes, Context, Meter, SpanContext, TraceState, Tracer } from '@opentelemetry/api';
import type { OtlpFieldId } from '../../engine/otlp-fields';

/** A signal, as the export requests name it. */
export type Signal = 'traces' | 'metrics' | 'logs';

const slug = (id: string): string => id.toLowerCase().replace(/[._]/g, '-');
/** The canary of a field: a fake e-mail address naming it. */
export const canaryOf = (id: string): string => `canary-${slug(id)}@example.test`;
/** The text written into a field: a tag that survives masking, then the canary. */
export const tagOf = (id: string): string => `t-${slug(id)}`;
/**
 * An attribute key carrying a canary, under a prefix the default policy keeps (`code.*`): only the key scanner can
 * drop it (in a map value, the parent key supplies the prefix).
 */
export const keyOf = (id: string): string => `code.${canaryOf(id)}`;
/** The whole text written into a field. */
export const textOf = (id: string): string => `${tagOf(id)} ${canaryOf(id)}`;
/**
 * Canaries `writeFieldCanaries` writes besides one per inventory field: more attribute keys with a finding (in a map
 * value, and on events, log records and data points; `KeyValue.key`'s own canary is a span attribute's key), all
 * under keys the rules keep. They must not arrive anywhere (a key with a finding is dropped with its value).
 */
export const EXTRA_CANARIES = ['key.event-attribute', 'key.in-map', 'key.log-attribute', 'key.metric-attribute'];

const hex = (bytes: number): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A random trace id and span id, the trace id consistent with the `ot=th:8` member the canaries' trace states carry
 * (its randomness, the last 56 bits, at least the threshold 2^55): a consistent-probability sampler erases an
 * inconsistent `th` from a parent's trace state, and the outcome check looks for `ot=th:8`.
 */
export function canaryIds(): { trace: string; span: string } {
  const trace = hex(16).split('');
  trace[18] = (8 + (parseInt(trace[18], 16) % 8)).toString(16);
  return { trace: trace.join(''), span: hex(8) };
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
 * set-up's (`resourceAttributes`, `schemaUrlOf`). Ends the span, emits the record, records the measurements.
 */
export function writeFieldCanaries(api: CanaryApi, text: CanaryText): void {
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
  const link = canaryIds();
  const linked: SpanContext = {
    traceId: link.trace,
    spanId: link.span,
    traceFlags: 1,
    traceState: vendor('Span.Link.trace_state'),
  };
  const parent = canaryIds();
  const span = tracer.startSpan(
    text('Span.name', 'traces'),
    {
      attributes: {
        'code.note': text('Span.attributes', 'traces'),
        'user.id': text('KeyValue.value', 'traces'),
        [keyOf('KeyValue.key')]: text('KeyValue.key', 'traces'),
        'http.request.method': text('AnyValue.string_value', 'traces'),
        'code.tags': [text('AnyValue.array_value', 'traces')],
        'code.list': ['first', text('ArrayValue.values', 'traces')],
      },
      links: [{ context: linked, attributes: { 'http.request.method': text('Span.Link.attributes', 'traces') } }],
    },
    api.withSpanContext({
      traceId: parent.trace,
      spanId: parent.span,
      traceFlags: 1,
      isRemote: true,
      traceState: vendor('Span.trace_state'),
    }),
  );
  span.addEvent(text('Span.Event.name', 'traces'), {
    'http.request.method': text('Span.Event.attributes', 'traces'),
    [keyOf('key.event-attribute')]: 'x',
  });
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
        'http.request.method': text('LogRecord.attributes', 'logs'),
        'code.context': { note: text('AnyValue.kvlist_value', 'logs'), [canaryOf('key.in-map')]: 'x' },
        [keyOf('key.log-attribute')]: 'x',
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
    .add(1, {
      'http.request.method': text('NumberDataPoint.attributes', 'metrics'),
      [keyOf('key.metric-attribute')]: 'x',
    });
  meter.createHistogram('canary.histogram').record(3, {
    'http.request.method': text('HistogramDataPoint.attributes', 'metrics'),
  });
  if (api.exponentialHistograms)
    meter.createHistogram(EXPONENTIAL_INSTRUMENT).record(3, {
      'http.request.method': text('ExponentialHistogramDataPoint.attributes', 'metrics'),
    });
}

/** The resource attributes of an SDK-path set-up: the service name, and a canary under a key the policy keeps. */
export function resourceAttributes(service: string, signal: Signal, text: CanaryText): Attributes {
  return { 'service.name': service, 'service.namespace': text('Resource.attributes', signal) };
}
