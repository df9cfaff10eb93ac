import protobuf from 'protobufjs';

/**
 * The subset of the OTLP protobuf schema (opentelemetry-proto v1: common, resource, trace, metrics, logs and the three
 * collector services) that the test receiver decodes. Field numbers follow the OTLP specification; fields not listed
 * here (exemplars, exponential histograms, summaries) are skipped by the decoder as unknown fields. Enums are read as
 * plain integers.
 */
export const OTLP_PROTO_SOURCE = `
syntax = "proto3";
package otlp;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope {
  string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4;
}
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }

message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; fixed32 flags = 16;
  string name = 5; int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10;
  message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
  repeated Event events = 11; uint32 dropped_events_count = 12;
  message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
  repeated Link links = 13; uint32 dropped_links_count = 14;
  Status status = 15;
}
message Status { string message = 2; int32 code = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }

message NumberDataPoint {
  repeated KeyValue attributes = 7; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3;
  oneof value { double as_double = 4; sfixed64 as_int = 6; }
  uint32 flags = 8;
}
message HistogramDataPoint {
  repeated KeyValue attributes = 9; fixed64 start_time_unix_nano = 2; fixed64 time_unix_nano = 3; fixed64 count = 4;
  optional double sum = 5; repeated fixed64 bucket_counts = 6; repeated double explicit_bounds = 7; uint32 flags = 10;
  optional double min = 11; optional double max = 12;
}
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum { repeated NumberDataPoint data_points = 1; int32 aggregation_temporality = 2; bool is_monotonic = 3; }
message Histogram { repeated HistogramDataPoint data_points = 1; int32 aggregation_temporality = 2; }
message Metric {
  string name = 1; string description = 2; string unit = 3;
  oneof data { Gauge gauge = 5; Sum sum = 7; Histogram histogram = 9; }
  repeated KeyValue metadata = 12;
}
message ScopeMetrics { InstrumentationScope scope = 1; repeated Metric metrics = 2; string schema_url = 3; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; string schema_url = 3; }
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ExportMetricsPartialSuccess { int64 rejected_data_points = 1; string error_message = 2; }
message ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }

message LogRecord {
  fixed64 time_unix_nano = 1; fixed64 observed_time_unix_nano = 11; int32 severity_number = 2; string severity_text = 3;
  AnyValue body = 5; repeated KeyValue attributes = 6; uint32 dropped_attributes_count = 7; fixed32 flags = 8;
  bytes trace_id = 9; bytes span_id = 10; string event_name = 12;
}
message ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; string schema_url = 3; }
message ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; string schema_url = 3; }
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsPartialSuccess { int64 rejected_log_records = 1; string error_message = 2; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
`;

/** The three OTLP signals. */
export type OtlpSignal = 'traces' | 'metrics' | 'logs';

/** gRPC method path, request type and response type for each signal. */
export const OTLP_SERVICES: Record<OtlpSignal, { path: string; request: string; response: string }> = {
  traces: {
    path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    request: 'otlp.ExportTraceServiceRequest',
    response: 'otlp.ExportTraceServiceResponse',
  },
  metrics: {
    path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
    request: 'otlp.ExportMetricsServiceRequest',
    response: 'otlp.ExportMetricsServiceResponse',
  },
  logs: {
    path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    request: 'otlp.ExportLogsServiceRequest',
    response: 'otlp.ExportLogsServiceResponse',
  },
};

let root: protobuf.Root | undefined;

function otlpRoot(): protobuf.Root {
  root ??= protobuf.parse(OTLP_PROTO_SOURCE, { keepCase: false }).root;
  return root;
}

/** Decodes an OTLP export request of `signal` into a plain object (camelCase fields, int64 as strings, bytes as hex). */
export function decodeOtlpRequest(signal: OtlpSignal, bytes: Uint8Array): Record<string, unknown> {
  const type = otlpRoot().lookupType(OTLP_SERVICES[signal].request);
  const message = type.decode(bytes);
  return hexBytes(type.toObject(message, { longs: String, enums: Number, bytes: Array, defaults: false, oneofs: false }));
}

/** Encodes an OTLP export response of `signal` (optionally with a partial-success rejection count). */
export function encodeOtlpResponse(signal: OtlpSignal, rejected = 0, errorMessage = ''): Buffer {
  const type = otlpRoot().lookupType(OTLP_SERVICES[signal].response);
  if (rejected === 0) return Buffer.from(type.encode(type.create({})).finish());
  const field = signal === 'traces' ? 'rejectedSpans' : signal === 'metrics' ? 'rejectedDataPoints' : 'rejectedLogRecords';
  return Buffer.from(type.encode(type.fromObject({ partialSuccess: { [field]: rejected, errorMessage } })).finish());
}

function hexBytes(value: Record<string, unknown>): Record<string, unknown> {
  return convert(value) as Record<string, unknown>;
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((item) => typeof item === 'number')) return value;
    return value.map(convert);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = /Id$/.test(key) && Array.isArray(inner) ? Buffer.from(inner as number[]).toString('hex') : convert(inner);
    }
    return out;
  }
  return value;
}
