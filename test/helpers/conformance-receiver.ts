import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

/**
 * An OTLP/gRPC receiver for conformance tests that shares no code with the library or the other test receiver: it
 * decodes requests with the official opentelemetry-proto definitions (vendored, unmodified, in
 * `test/exporters/testdata/opentelemetry-proto`), checks every `string` field's bytes as strict UTF-8 on the wire, and
 * checks the OTLP data model rules a careful backend relies on (id lengths, timestamps, key/value lists, metric point
 * consistency). It can answer with partial successes and with gRPC errors that carry a `google.rpc.RetryInfo`.
 */

const PROTO_ROOT = join(import.meta.dirname, '../exporters/testdata/opentelemetry-proto');
const SERVICES = {
  traces: ['opentelemetry.proto.collector.trace.v1', 'TraceService', 'ExportTraceService'],
  metrics: ['opentelemetry.proto.collector.metrics.v1', 'MetricsService', 'ExportMetricsService'],
  logs: ['opentelemetry.proto.collector.logs.v1', 'LogsService', 'ExportLogsService'],
} as const;
/** An OTLP signal. */
export type ConformanceSignal = keyof typeof SERVICES;

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
root.loadSync(
  [
    'opentelemetry/proto/collector/trace/v1/trace_service.proto',
    'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
    'opentelemetry/proto/collector/logs/v1/logs_service.proto',
  ],
  { keepCase: true },
);
root.resolveAll();
// google.rpc.Status / RetryInfo (googleapis, Apache-2.0): the three messages a throttling answer needs.
const rpc = protobuf.Root.fromJSON({
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
          },
        },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            RetryInfo: { fields: { retry_delay: { type: 'google.protobuf.Duration', id: 1 } } },
          },
        },
      },
    },
  },
});

/** The official protobuf type of a signal's export request. */
export const requestType = (signal: ConformanceSignal): protobuf.Type =>
  root.lookupType(`${SERVICES[signal][0]}.${SERVICES[signal][2]}Request`);
const responseType = (signal: ConformanceSignal): protobuf.Type =>
  root.lookupType(`${SERVICES[signal][0]}.${SERVICES[signal][2]}Response`);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Walks the wire format of `bytes` as `type` and reports every string field whose bytes are not valid UTF-8. */
export function invalidUtf8Fields(type: protobuf.Type, bytes: Uint8Array, path = type.name): string[] {
  const problems: string[] = [];
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = type.fieldsById[tag >>> 3];
    const wire = tag & 7;
    if (field && wire === 2 && field.type === 'string') {
      const raw = reader.bytes();
      try {
        const text = strictUtf8.decode(raw);
        if (text.includes('\uFFFD')) problems.push(`${path}.${field.name}: U+FFFD in ${JSON.stringify(text)}`);
      } catch {
        problems.push(`${path}.${field.name}: invalid UTF-8 ${Buffer.from(raw).toString('hex')}`);
      }
    } else if (field && wire === 2 && field.resolvedType instanceof protobuf.Type) {
      problems.push(...invalidUtf8Fields(field.resolvedType, reader.bytes(), `${path}.${field.name}`));
    } else {
      reader.skipType(wire);
    }
  }
  return problems;
}

/** A message decoded with the official protos (fields are read dynamically by the checks and the tests). */
export type Decoded = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Obj = Decoded;

const ZERO = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0);

/** The data-model problems of one key/value list (empty or duplicate keys, unset values, mixed arrays). */
function keyValueProblems(list: Obj[], path: string, out: string[]): void {
  const seen = new Set<string>();
  for (const kv of list) {
    if (kv.key === '') out.push(`${path}: empty key`);
    if (seen.has(kv.key)) out.push(`${path}: duplicate key ${kv.key}`);
    seen.add(kv.key);
    anyValueProblems(kv.value, `${path}[${kv.key}]`, out);
  }
}

function anyValueProblems(value: Obj | undefined, path: string, out: string[]): void {
  if (!value || value.value === undefined) {
    out.push(`${path}: value not set`);
    return;
  }
  if (value.value === 'array_value') {
    const kinds = new Set((value.array_value.values as Obj[]).map((v) => v.value));
    if (kinds.size > 1) out.push(`${path}: array mixes ${[...kinds].join(', ')}`);
    for (const [i, v] of (value.array_value.values as Obj[]).entries()) {
      if (v.value === 'array_value' || v.value === 'kvlist_value') continue;
      anyValueProblems(v, `${path}[${i}]`, out);
    }
  }
  if (value.value === 'kvlist_value') keyValueProblems(value.kvlist_value.values, path, out);
}

function idProblems(id: Uint8Array, length: number, path: string, out: string[], optional = false): void {
  if (optional && id.length === 0) return;
  if (id.length !== length) out.push(`${path}: ${id.length} bytes, expected ${length}`);
  else if (ZERO(id)) out.push(`${path}: all zero`);
}

function pointCommonProblems(point: Obj, path: string, out: string[]): void {
  keyValueProblems(point.attributes, `${path}.attributes`, out);
  if (BigInt(point.time_unix_nano) === 0n) out.push(`${path}: time_unix_nano is 0`);
  for (const [i, exemplar] of ((point.exemplars ?? []) as Obj[]).entries()) {
    idProblems(exemplar.span_id, 8, `${path}.exemplars[${i}].span_id`, out, true);
    idProblems(exemplar.trace_id, 16, `${path}.exemplars[${i}].trace_id`, out, true);
    keyValueProblems(exemplar.filtered_attributes, `${path}.exemplars[${i}].filtered_attributes`, out);
  }
}

/** The OTLP data-model problems of a decoded request (see the file comment). */
export function dataModelProblems(signal: ConformanceSignal, request: Obj): string[] {
  const out: string[] = [];
  const resources: Obj[] = request.resource_spans ?? request.resource_logs ?? request.resource_metrics;
  for (const [r, res] of resources.entries()) {
    keyValueProblems(res.resource?.attributes ?? [], `resource[${r}]`, out);
    const scopes: Obj[] = res.scope_spans ?? res.scope_logs ?? res.scope_metrics;
    for (const [s, scope] of scopes.entries()) {
      const at = `resource[${r}].scope[${s}]`;
      keyValueProblems(scope.scope?.attributes ?? [], `${at}.attributes`, out);
      if (signal === 'traces')
        for (const span of scope.spans as Obj[]) {
          const p = `${at}.span(${span.name})`;
          idProblems(span.trace_id, 16, `${p}.trace_id`, out);
          idProblems(span.span_id, 8, `${p}.span_id`, out);
          idProblems(span.parent_span_id, 8, `${p}.parent_span_id`, out, true);
          if (span.name === '') out.push(`${p}: empty name`);
          const start = BigInt(span.start_time_unix_nano);
          const end = BigInt(span.end_time_unix_nano);
          if (start === 0n || end < start) out.push(`${p}: times ${start}..${end}`);
          keyValueProblems(span.attributes, `${p}.attributes`, out);
          for (const [i, event] of (span.events as Obj[]).entries()) {
            keyValueProblems(event.attributes, `${p}.events[${i}].attributes`, out);
            if (BigInt(event.time_unix_nano) === 0n) out.push(`${p}.events[${i}]: time 0`);
          }
          for (const [i, link] of (span.links as Obj[]).entries()) {
            idProblems(link.trace_id, 16, `${p}.links[${i}].trace_id`, out);
            idProblems(link.span_id, 8, `${p}.links[${i}].span_id`, out);
            keyValueProblems(link.attributes, `${p}.links[${i}].attributes`, out);
          }
        }
      if (signal === 'logs')
        for (const [i, record] of (scope.log_records as Obj[]).entries()) {
          const p = `${at}.log_records[${i}]`;
          keyValueProblems(record.attributes, `${p}.attributes`, out);
          if (record.body) anyValueProblems(record.body, `${p}.body`, out);
          idProblems(record.trace_id, 16, `${p}.trace_id`, out, true);
          idProblems(record.span_id, 8, `${p}.span_id`, out, true);
        }
      if (signal === 'metrics')
        for (const metric of scope.metrics as Obj[]) {
          const p = `${at}.metric(${metric.name})`;
          if (metric.name === '') out.push(`${p}: empty name`);
          const data = metric[metric.data] as Obj | undefined;
          if (!data) {
            out.push(`${p}: no data`);
            continue;
          }
          for (const [i, point] of (data.data_points as Obj[]).entries()) {
            const pp = `${p}.data_points[${i}]`;
            pointCommonProblems(point, pp, out);
            if (metric.data === 'histogram') {
              const buckets = (point.bucket_counts as string[]).map(BigInt);
              if (buckets.length !== point.explicit_bounds.length + 1 && buckets.length !== 0)
                out.push(`${pp}: ${buckets.length} buckets for ${point.explicit_bounds.length} bounds`);
              const total = buckets.reduce((a, b) => a + b, 0n);
              if (buckets.length > 0 && total !== BigInt(point.count))
                out.push(`${pp}: bucket counts sum to ${total}, count is ${point.count}`);
            }
            if (metric.data === 'exponential_histogram') {
              const sum = (b: Obj | undefined) =>
                ((b?.bucket_counts ?? []) as string[]).map(BigInt).reduce((a, c) => a + c, 0n);
              const total = sum(point.positive) + sum(point.negative) + BigInt(point.zero_count);
              if (total !== BigInt(point.count))
                out.push(`${pp}: buckets + zero sum to ${total}, count is ${point.count}`);
            }
          }
        }
    }
  }
  return out;
}

/** One request as received. */
export interface ConformanceRequest {
  readonly signal: ConformanceSignal;
  /** The decompressed protobuf bytes. */
  readonly bytes: Buffer;
  /** Decoded with the official protos (snake_case, int64 as strings, bytes as Buffer, oneofs named). */
  readonly decoded: Obj;
  /** Request metadata as received by the server. */
  readonly metadata: grpc.Metadata;
  /** String fields that are not strict UTF-8 on the wire. */
  readonly utf8Problems: string[];
  /** OTLP data model problems. */
  readonly modelProblems: string[];
}

/** What to answer: a partial success, a gRPC error (optionally with a RetryInfo delay), or plain success. */
export type ConformanceAnswer =
  | { readonly rejected: number; readonly message?: string }
  | { readonly code: grpc.status; readonly retryDelayMillis?: number }
  | undefined;

/** The encoded `grpc-status-details-bin` of a status carrying a `google.rpc.RetryInfo` delay. */
export function retryInfoDetails(code: number, delayMillis: number): Buffer {
  const retryInfo = rpc.lookupType('google.rpc.RetryInfo');
  const value = retryInfo
    .encode({ retry_delay: { seconds: Math.floor(delayMillis / 1000), nanos: (delayMillis % 1000) * 1e6 } })
    .finish();
  const status = rpc.lookupType('google.rpc.Status');
  return Buffer.from(
    status
      .encode({
        code,
        message: 'throttled',
        details: [{ type_url: 'type.googleapis.com/google.rpc.RetryInfo', value }],
      })
      .finish(),
  );
}

/** The independent OTLP/gRPC receiver (TLS, server certificate only, on 127.0.0.1 and a runtime port). */
export class ConformanceReceiver {
  readonly requests: ConformanceRequest[] = [];
  /** Export calls seen (answered or not), with their arrival time. */
  readonly attempts: { signal: ConformanceSignal; at: number }[] = [];
  respond: ((request: ConformanceRequest) => ConformanceAnswer) | undefined;
  private server: grpc.Server | undefined;
  port = 0;

  constructor(private readonly tls: { cert: string; key: string; ca: string }) {}

  /** `https://127.0.0.1:<port>`. */
  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = new grpc.Server();
    const raw = (b: Buffer): Buffer => b;
    for (const signal of Object.keys(SERVICES) as ConformanceSignal[]) {
      const [pkg, service] = SERVICES[signal];
      server.addService(
        {
          Export: {
            path: `/${pkg}.${service}/Export`,
            requestStream: false,
            responseStream: false,
            requestSerialize: raw,
            requestDeserialize: raw,
            responseSerialize: raw,
            responseDeserialize: raw,
          },
        },
        {
          Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) =>
            this.handle(signal, call, callback),
        },
      );
    }
    const credentials = grpc.ServerCredentials.createSsl(
      Buffer.from(this.tls.ca),
      [{ cert_chain: Buffer.from(this.tls.cert), private_key: Buffer.from(this.tls.key) }],
      true,
    );
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', credentials, (error, port) => (error ? reject(error) : resolve(port))),
    );
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }

  of(signal: ConformanceSignal): ConformanceRequest[] {
    return this.requests.filter((r) => r.signal === signal);
  }

  private handle(
    signal: ConformanceSignal,
    call: grpc.ServerUnaryCall<Buffer, Buffer>,
    callback: grpc.sendUnaryData<Buffer>,
  ): void {
    this.attempts.push({ signal, at: Date.now() });
    const type = requestType(signal);
    let decoded: Obj;
    try {
      decoded = type.toObject(type.decode(call.request), {
        longs: String,
        enums: Number,
        defaults: true,
        arrays: true,
        oneofs: true,
      });
    } catch (error) {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: `undecodable: ${(error as Error).message}` });
      return;
    }
    const request: ConformanceRequest = {
      signal,
      bytes: call.request,
      decoded,
      metadata: call.metadata,
      utf8Problems: invalidUtf8Fields(type, call.request),
      modelProblems: dataModelProblems(signal, decoded),
    };
    const answer = this.respond?.(request);
    if (answer && 'code' in answer) {
      const trailer = new grpc.Metadata();
      if (answer.retryDelayMillis !== undefined)
        trailer.set('grpc-status-details-bin', retryInfoDetails(answer.code, answer.retryDelayMillis));
      callback({ code: answer.code, details: 'refused by conformance receiver', metadata: trailer });
      return;
    }
    this.requests.push(request);
    const response = responseType(signal);
    const partial =
      answer && answer.rejected > 0
        ? {
            partial_success: {
              [signal === 'traces'
                ? 'rejected_spans'
                : signal === 'logs'
                  ? 'rejected_log_records'
                  : 'rejected_data_points']: answer.rejected,
              error_message: answer.message ?? '',
            },
          }
        : {};
    callback(null, Buffer.from(response.encode(response.fromObject(partial)).finish()));
  }
}
