import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OTLP_FIELDS } from '../../engine/otlp-fields';
import type { OtlpFieldId } from '../../engine/otlp-fields';
import { OTLP_ENUM_FIELDS } from '../../engine/otlp-field-types';
import { PrivacyLogRecordProcessor } from '../../processors/logs/privacy-log-record-processor';
import { PrivacyMetricReader } from '../../processors/metrics/privacy-metric-reader';
import { sanitizeResource } from '../../processors/resource/sanitize-resource';
import { PrivacySpanProcessor } from '../../processors/traces/privacy-span-processor';
import { defaultPolicy } from '../../policy/load-policy';
import type { Policy } from '../../policy/policy';
import { OTLP_REQUESTS, inventoryFields, reachableMessages } from '../../scripts/otlp-inventory';

// Wrong-typed values in every OTLP field whose type the SDKs do not check: every enum field of the upstream OTLP
// definitions (vendored in test/exporters/testdata/opentelemetry-proto) an application can write, and every `string`
// field of the field inventory (engine/otlp-fields.ts) an application writes outside the attribute value model. A
// fast-check generated value (canaries inside strings, arrays, objects, `String` objects, objects whose `toString`
// makes one, card numbers as numbers and `Number` objects, NaN, negative, fractional and huge numbers) goes into each field
// through real SDK 3.x providers, the privacy processors (default policy) and in-memory exporters; the export is
// serialized with the OTLP/JSON and the protobuf serializers of @opentelemetry/otlp-transformer. Neither may throw,
// every item must arrive, and no canary may be found in either output (text, or a card number's varint).

const UPSTREAM = join(import.meta.dirname, '../exporters/testdata/opentelemetry-proto');
const REQUESTS = [
  'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
];

/** Every enum-typed field reachable from the three upstream export requests, `Message.field` → its enum. */
function upstreamEnumFields(): Map<string, protobuf.Enum> {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(UPSTREAM, target);
  root.loadSync(
    ['trace', 'metrics', 'logs'].map((s) => `opentelemetry/proto/collector/${s}/v1/${s}_service.proto`),
    { keepCase: true },
  );
  root.resolveAll();
  const out = new Map<string, protobuf.Enum>();
  for (const type of reachableMessages(REQUESTS.map((r) => root.lookupType(r))))
    for (const field of type.fieldsArray)
      if (field.resolvedType instanceof protobuf.Enum)
        out.set(
          `${type.fullName.replace(/^\.opentelemetry\.proto\.[a-z]+\.v1\./, '')}.${field.name}`,
          field.resolvedType,
        );
  return out;
}

/** The messages of the attribute value model: their string fields (keys, values) are the attribute rules' business. */
const VALUE_MODEL = new Set(['AnyValue', 'KeyValue', 'ArrayValue', 'KeyValueList']);

/** Every `string` field of the inventory an application writes outside the value model (trace state aside). */
function appStringFields(): OtlpFieldId[] {
  return inventoryFields()
    .filter((f) => f.type === 'string' && !f.repeated)
    .map((f) => f.id as OtlpFieldId)
    .filter((id) => {
      const field = OTLP_FIELDS[id];
      return (
        field.source === 'app' &&
        field.class !== 'filtered:trace-state' && // a `TraceState` object the SDK serializes (trace-state tests)
        !VALUE_MODEL.has(id.slice(0, id.lastIndexOf('.')))
      );
    });
}

/** Detectable canaries (the default policy's value scanner finds each), and card numbers as numbers. */
const TEXT_CANARIES = ['jane.doe@example.com', 'AKIAIOSFODNN7EXAMPLE', 'GB82WEST12345698765432', '4111111111111111'];
const CARD_NUMBERS = [4111111111111111, 4012888888881881, 5555555555554444, 378282246310005];

/** A wrong-typed value and the canaries it holds. */
interface Poke {
  readonly value: unknown;
  readonly needles: readonly string[];
  readonly numbers: readonly number[];
}

/**
 * Generated wrong-typed values (transformation operators over the canaries). No bigints: the SDK's own `getLogger`
 * throws on one (it keys loggers by `JSON.stringify`), in the application's call.
 */
const poke: fc.Arbitrary<Poke> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...TEXT_CANARIES), fc.constantFrom('', 'user ', 'x='), fc.constantFrom('', ' ', ' 1', '/a'))
    .chain(([c, pre, post]) =>
      fc.constantFrom<Poke>(
        { value: `${pre}${c}${post}`, needles: [c], numbers: [] },
        { value: [`${pre}${c}${post}`], needles: [c], numbers: [] },
        { value: [[c], 1], needles: [c], numbers: [] },
        { value: { email: `${pre}${c}` }, needles: [c], numbers: [] },
        { value: { toString: () => c, valueOf: () => c }, needles: [c], numbers: [] },
        { value: new String(`${pre}${c}${post}`), needles: [c], numbers: [] },
        { value: Object.assign(new String(c), { extra: c }), needles: [c], numbers: [] },
      ),
    ),
  fc
    .constantFrom(...CARD_NUMBERS)
    .chain((n) =>
      fc.constantFrom<Poke>(
        { value: n, needles: [String(n)], numbers: [n] },
        { value: new Number(n), needles: [String(n)], numbers: [n] },
      ),
    ),
  fc.constantFrom<Poke>(
    { value: Number.NaN, needles: [], numbers: [] },
    { value: -1, needles: [], numbers: [] },
    { value: 2.5, needles: [], numbers: [] },
    { value: 2 ** 60, needles: [], numbers: [] },
    { value: Number.POSITIVE_INFINITY, needles: [], numbers: [] },
    { value: null, needles: [], numbers: [] },
    { value: true, needles: [], numbers: [] },
  ),
);

/** What one run writes through the SDK API. */
interface Api {
  tracer(name: unknown, version?: unknown, schemaUrl?: unknown): ReturnType<TracerProvider['getTracer']>;
  logger(name: unknown, version?: unknown, schemaUrl?: unknown): ReturnType<LoggerProvider['getLogger']>;
  meter(name: unknown, version?: unknown, schemaUrl?: unknown): ReturnType<MeterProvider['getMeter']>;
}

type Writer = (api: Api, v: unknown) => void;
const any = <T>(v: unknown): T => v as T;

/** How an application puts a value into each field (one span, record or metric per field). */
const STRING_WRITERS: Record<string, Writer> = {
  'InstrumentationScope.name': (api, v) => {
    api.tracer(v).startSpan('s').end();
    api.logger(v).emit({ body: 'b' });
    api.meter(v).createCounter('c_scope_name').add(1);
  },
  'InstrumentationScope.version': (api, v) => {
    api.tracer('tv', v).startSpan('s').end();
    api.logger('lv', v).emit({ body: 'b' });
    api.meter('mv', v).createCounter('c_scope_version').add(1);
  },
  'ScopeSpans.schema_url': (api, v) => api.tracer('ts', '1', v).startSpan('s').end(),
  'ScopeLogs.schema_url': (api, v) => api.logger('ls', '1', v).emit({ body: 'b' }),
  'ScopeMetrics.schema_url': (api, v) => api.meter('ms', '1', v).createCounter('c_scope_schema').add(1),
  // The resource's schema URL: written by `resources` below (one resource per run).
  'ResourceSpans.schema_url': () => undefined,
  'ResourceLogs.schema_url': () => undefined,
  'ResourceMetrics.schema_url': () => undefined,
  'Span.name': (api, v) => api.tracer('t').startSpan(any(v)).end(),
  'Span.Event.name': (api, v) => {
    const span = api.tracer('t').startSpan('event');
    span.addEvent(any(v));
    span.end();
  },
  'Status.message': (api, v) => {
    const span = api.tracer('t').startSpan('status');
    span.setStatus({ code: 2, message: any(v) });
    span.end();
  },
  'Metric.name': (api, v) => api.meter('m').createCounter(any(v)).add(1),
  'Metric.description': (api, v) =>
    api
      .meter('m')
      .createGauge('g_description', { description: any(v) })
      .record(1),
  'Metric.unit': (api, v) =>
    api
      .meter('m')
      .createHistogram('h_unit', { unit: any(v) })
      .record(1),
  'LogRecord.severity_text': (api, v) => api.logger('l').emit({ body: 'b', severityText: any(v) }),
  'LogRecord.event_name': (api, v) => api.logger('l').emit({ body: 'b', eventName: any(v) }),
};

const ENUM_WRITERS: Record<string, Writer> = {
  'Span.kind': (api, v) =>
    api
      .tracer('t')
      .startSpan('kind', { kind: any(v) })
      .end(),
  'Status.code': (api, v) => {
    const span = api.tracer('t').startSpan('code');
    span.setStatus({ code: any(v) });
    span.end();
  },
  'LogRecord.severity_number': (api, v) => api.logger('l').emit({ body: 'b', severityNumber: any(v) }),
};

/**
 * Numbers and ids an application reaches through a span context, which the OTLP/JSON serializer copies as they are:
 * the `flags` of a log record (its context's trace flags) and the ids of a link (the protobuf serializer masks
 * flags and writes ids as hex bytes). The `identifier` fields of the inventory an application writes must all be here.
 */
const CONTEXT_WRITERS: Record<string, Writer> = {
  'LogRecord.flags': (api, v) =>
    api.logger('l').emit({
      body: 'flags',
      context: trace.setSpanContext(context.active(), {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: any(v),
      }),
    }),
  'Span.Link.trace_id': (api, v) =>
    api
      .tracer('t')
      .startSpan('link', { links: [{ context: { traceId: any(v), spanId: 'b7ad6b7169203331', traceFlags: 1 } }] })
      .end(),
  'Span.Link.span_id': (api, v) => {
    const span = api.tracer('t').startSpan('link');
    span.addLink({ context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: any(v), traceFlags: 1 } });
    span.end();
  },
};

/** A number's protobuf varint (what an enum field holding it would carry). */
function varint(n: number): Buffer {
  let v = BigInt(n);
  const out: number[] = [];
  while (v >= BigInt(0x80)) {
    out.push(Number(v & BigInt(0x7f)) | 0x80);
    v >>= BigInt(7);
  }
  out.push(Number(v));
  return Buffer.from(out);
}

/** What was exported by one run, serialized both ways (a serializer that throws fails the run). */
interface Exported {
  readonly spans: number;
  readonly logs: number;
  readonly metrics: number;
  readonly json: string;
  readonly protobuf: Buffer;
}

async function run(policy: Policy, values: Record<string, Poke>, resourceSchemaUrl: Poke): Promise<Exported> {
  const resource = (): Resource =>
    sanitizeResource(
      policy,
      resourceFromAttributes({ 'service.name': 'checkout' }, { schemaUrl: any(resourceSchemaUrl.value) }),
    );
  const spans = new InMemorySpanExporter();
  const tracing = new TracerProvider({
    resource: resource(),
    spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: spans }) })],
  });
  const logs = new InMemoryLogRecordExporter();
  const logging = new LoggerProvider({
    resource: resource(),
    processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter: logs }) })],
  });
  const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PrivacyMetricReader({ policy, exporter: metrics, exportIntervalMillis: 3_600_000 });
  const metering = new MeterProvider({ resource: resource(), readers: [reader] });
  const api: Api = {
    tracer: (name, version, schemaUrl) => tracing.getTracer(any(name), any(version), { schemaUrl: any(schemaUrl) }),
    logger: (name, version, schemaUrl) => logging.getLogger(any(name), any(version), { schemaUrl: any(schemaUrl) }),
    meter: (name, version, schemaUrl) => metering.getMeter(any(name), any(version), { schemaUrl: any(schemaUrl) }),
  };
  try {
    context.with(trace.deleteSpan(context.active()), () => {
      for (const [id, write] of Object.entries({ ...STRING_WRITERS, ...ENUM_WRITERS, ...CONTEXT_WRITERS }))
        write(api, values[id]!.value);
    });
    await Promise.all([tracing.forceFlush(), logging.forceFlush(), reader.forceFlush()]);
    const finished = spans.getFinishedSpans();
    const records = logs.getFinishedLogRecords();
    const exports = metrics.getMetrics();
    const last = exports[exports.length - 1];
    const json = [
      JsonTraceSerializer.serializeRequest(finished),
      JsonLogsSerializer.serializeRequest(records),
      last && JsonMetricsSerializer.serializeRequest(last),
    ];
    const proto = [
      ProtobufTraceSerializer.serializeRequest(finished),
      ProtobufLogsSerializer.serializeRequest(records),
      last && ProtobufMetricsSerializer.serializeRequest(last),
    ];
    return {
      spans: finished.length,
      logs: records.length,
      metrics: last?.scopeMetrics.reduce((n, sm) => n + sm.metrics.length, 0) ?? 0,
      json: json.map((b) => (b ? Buffer.from(b).toString('utf8') : '')).join('\n'),
      protobuf: Buffer.concat(proto.map((b) => Buffer.from(b ?? []))),
    };
  } finally {
    await Promise.all([tracing.shutdown(), logging.shutdown(), metering.shutdown()]);
  }
}

/** The canaries of `poke` found in the outputs (case-insensitive text; a card number's varint in the protobuf). */
function leaks(field: string, p: Poke, out: Exported): string[] {
  const json = out.json.toLowerCase();
  const latin1 = out.protobuf.toString('latin1').toLowerCase();
  const found: string[] = [];
  for (const n of p.needles) {
    const needle = n.toLowerCase();
    if (json.includes(needle)) found.push(`${field}: ${n} in OTLP/JSON`);
    if (latin1.includes(needle)) found.push(`${field}: ${n} in protobuf`);
  }
  for (const n of p.numbers)
    if (out.protobuf.includes(varint(n))) found.push(`${field}: the varint of ${n} in protobuf`);
  return found;
}

let policy: Policy;
const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
beforeAll(() => {
  process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x3c).toString('base64')}`; // fake test key
  policy = defaultPolicy();
});
afterAll(() => {
  if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
  else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
});

describe('the fields whose type the SDKs do not check, from the OTLP data model', () => {
  it('every enum field of the upstream OTLP definitions is in OTLP_ENUM_FIELDS, with its number of values', () => {
    const upstream = upstreamEnumFields();
    expect([...upstream.keys()].sort()).toEqual(Object.keys(OTLP_ENUM_FIELDS).sort());
    for (const [id, e] of upstream) {
      const values = Object.values(e.values).sort((a, b) => a - b);
      expect(values, id).toEqual(values.map((_, i) => i));
      expect(OTLP_ENUM_FIELDS[id as keyof typeof OTLP_ENUM_FIELDS].otlpValues, id).toBe(values.length);
    }
  });

  it('has a writer for every app-written enum field and every app-written string field, and for nothing else', () => {
    const enums = Object.entries(OTLP_ENUM_FIELDS)
      .filter(([, f]) => f.source === 'app')
      .map(([id]) => id);
    expect(Object.keys(ENUM_WRITERS).sort()).toEqual(enums.sort());
    expect(Object.keys(STRING_WRITERS).sort()).toEqual(appStringFields().sort());
    expect(appStringFields().length).toBeGreaterThan(12);
    const appIds = Object.entries(OTLP_FIELDS)
      .filter(([, f]) => f.class === 'identifier' && f.source === 'app')
      .map(([id]) => id);
    expect(Object.keys(CONTEXT_WRITERS).filter((id) => id.endsWith('_id'))).toEqual(appIds);
    expect(Object.keys(OTLP_REQUESTS)).toHaveLength(3);
  });
});

describe('outside attack: wrong-typed values in enum and string fields (default policy, SDK 3.x, both serializers)', () => {
  it('no canary is exported, nothing throws, and every item arrives', async () => {
    const fields = [...Object.keys(STRING_WRITERS), ...Object.keys(ENUM_WRITERS), ...Object.keys(CONTEXT_WRITERS)];
    const before = { ...policy.counters.invalidFields };
    await fc.assert(
      fc.asyncProperty(
        fc.record(Object.fromEntries(fields.map((id) => [id, poke]))),
        poke,
        async (values: Record<string, Poke>, schemaUrl: Poke) => {
          const out = await run(policy, values, schemaUrl);
          const found = fields.flatMap((id) => leaks(id, values[id]!, out));
          found.push(...leaks('Resource*.schema_url', schemaUrl, out));
          expect(found).toEqual([]);
          // Every item arrived: a field is not fixed by dropping what carries it.
          expect(out.spans).toBe(10);
          // (the SDK's own logger drops a record whose severity number is below its minimum, 0)
          const severity = values['LogRecord.severity_number']!.value;
          expect(out.logs).toBe(typeof severity === 'number' && severity < 0 ? 6 : 7);
          expect(out.metrics).toBeGreaterThanOrEqual(5);
        },
      ),
      { numRuns: 40 },
    );
    expect(policy.counters.dropped.traces.failed + policy.counters.dropped.logs.failed).toBe(0);
    expect(policy.counters.dropped.metrics.failed).toBe(0);
    const after = policy.counters.invalidFields;
    expect(after.traces).toBeGreaterThan(before.traces);
    expect(after.logs).toBeGreaterThan(before.logs);
    expect(after.metrics).toBeGreaterThan(before.metrics);
  });
});
