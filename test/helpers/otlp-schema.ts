import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * The OTLP protobuf schema (opentelemetry-proto v1) the test receiver decodes: the complete one the field inventory
 * is checked against (engine/otlp-proto/otlp.proto; the example receiver's subset is tested to agree with it), so
 * every field an exporter writes is decoded. Enums are read as plain integers.
 */
const OTLP_PROTO_FILE = fileURLToPath(new URL('../../engine/otlp-proto/otlp.proto', import.meta.url));

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
  root ??= protobuf.parse(readFileSync(OTLP_PROTO_FILE, 'utf8'), { keepCase: false }).root;
  return root;
}

/** Decodes an OTLP export request of `signal` into a plain object (camelCase fields, int64 as strings, bytes as hex). */
export function decodeOtlpRequest(signal: OtlpSignal, bytes: Uint8Array): Record<string, unknown> {
  const type = otlpRoot().lookupType(OTLP_SERVICES[signal].request);
  const message = type.decode(bytes);
  return hexBytes(
    type.toObject(message, { longs: String, enums: Number, bytes: Array, defaults: false, oneofs: false }),
  );
}

/** Encodes an OTLP export response of `signal` (optionally with a partial-success rejection count). */
export function encodeOtlpResponse(signal: OtlpSignal, rejected = 0, errorMessage = ''): Buffer {
  const type = otlpRoot().lookupType(OTLP_SERVICES[signal].response);
  if (rejected === 0) return Buffer.from(type.encode(type.create({})).finish());
  const field =
    signal === 'traces' ? 'rejectedSpans' : signal === 'metrics' ? 'rejectedDataPoints' : 'rejectedLogRecords';
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
      out[key] =
        /Id$/.test(key) && Array.isArray(inner) ? Buffer.from(inner as number[]).toString('hex') : convert(inner);
    }
    return out;
  }
  return value;
}
