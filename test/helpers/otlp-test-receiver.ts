import * as grpc from '@grpc/grpc-js';
import type { SecureVersion } from 'node:tls';
import type { SecureServerOptions } from 'node:http2';
import { decodeOtlpRequest, encodeOtlpResponse, OTLP_SERVICES } from './otlp-schema';
import type { OtlpSignal } from './otlp-schema';
import { rawExportService, stopGrpcServer } from '../../examples/receiver/grpc-server.mjs';
import { retryInfoDetails } from './conformance-receiver';

/** TLS settings of an {@link OtlpTestReceiver}. */
export interface OtlpReceiverTls {
  /** Server certificate (PEM). */
  readonly cert: string | Buffer;
  /** Server private key (PEM). */
  readonly key: string | Buffer;
  /** CA (PEM) used to verify client certificates. */
  readonly ca?: string | Buffer;
  /** Require and verify a client certificate (default: true). */
  readonly requireClientCert?: boolean;
  /** Lowest TLS version accepted (default: TLSv1.3). */
  readonly minVersion?: SecureVersion;
  /** Highest TLS version accepted (default: TLSv1.3). */
  readonly maxVersion?: SecureVersion;
  /** Key-exchange groups the server accepts, colon-separated (default: the runtime's OpenSSL defaults). */
  readonly ecdhCurve?: string;
}

/** Options of an {@link OtlpTestReceiver}: either `tls` or `insecure: true`. */
export interface OtlpReceiverOptions {
  /** TLS settings; omit only together with `insecure: true`. */
  readonly tls?: OtlpReceiverTls;
  /** Serve plaintext HTTP/2. */
  readonly insecure?: boolean;
  /** Port to bind on 127.0.0.1 (default: 0, an ephemeral port that is kept across restarts). */
  readonly port?: number;
}

/** One export request seen by the receiver. */
export interface ReceivedRequest {
  /** Signal of the request. */
  readonly signal: OtlpSignal;
  /** Raw (decompressed) protobuf bytes. */
  readonly bytes: Buffer;
  /** Decoded request (camelCase fields; ids as hex; int64 as strings). */
  readonly decoded: Record<string, unknown>;
  /** Common name of the verified client certificate, if any. */
  readonly clientCommonName: string | undefined;
  /** Request metadata (first value per key). */
  readonly metadata: Record<string, string>;
}

/** What the receiver answers: a gRPC error status, a partial success, or (undefined) plain success. */
export type ReceiverAnswer =
  | { code: grpc.status; details?: string; retryDelayMillis?: number }
  | { rejected: number; message?: string }
  | undefined;

/** Decides the answer for one request; requests answered with an error are not recorded as accepted. */
export type ReceiverResponder = (request: ReceivedRequest) => ReceiverAnswer;

/** A flattened span as received. */
export interface ReceivedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Record<string, unknown>;
  /** The span's links: the linked trace and span ids (hex) and the link attributes. */
  readonly links: readonly {
    readonly traceId: string;
    readonly spanId: string;
    readonly attributes: Record<string, unknown>;
  }[];
  readonly resource: Record<string, unknown>;
  readonly scope: string;
}

/** A flattened log record as received. */
export interface ReceivedLogRecord {
  readonly body: unknown;
  readonly severityText: string | undefined;
  readonly attributes: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
}

/** A flattened metric as received. */
export interface ReceivedMetric {
  readonly name: string;
  readonly data: Record<string, unknown>;
  readonly resource: Record<string, unknown>;
}

class TlsServerCredentials extends grpc.ServerCredentials {
  constructor(tls: OtlpReceiverTls) {
    const requireClientCert = tls.requireClientCert ?? true;
    const constructorOptions: SecureServerOptions = {
      requestCert: requireClientCert,
      rejectUnauthorized: requireClientCert,
      minVersion: tls.minVersion ?? 'TLSv1.3',
      maxVersion: tls.maxVersion ?? 'TLSv1.3',
      ...(tls.ecdhCurve ? { ecdhCurve: tls.ecdhCurve } : {}),
    };
    super(constructorOptions, { cert: tls.cert, key: tls.key, ca: tls.ca });
  }

  override _equals(other: grpc.ServerCredentials): boolean {
    return other === this;
  }
}

/** Flattens OTLP `KeyValue[]` into a record of plain values. */
export function attributesOf(list: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const entry of list as Array<{ key: string; value?: Record<string, unknown> }>) {
    out[entry.key] = anyValue(entry.value);
  }
  return out;
}

function anyValue(value: Record<string, unknown> | undefined): unknown {
  if (!value) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) {
    const values = (value.arrayValue as { values?: Array<Record<string, unknown>> }).values ?? [];
    return values.map(anyValue);
  }
  if ('kvlistValue' in value) return attributesOf((value.kvlistValue as { values?: unknown }).values);
  if ('bytesValue' in value) return value.bytesValue;
  return undefined;
}

type Obj = Record<string, unknown>;
const list = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);

/**
 * A gRPC OTLP receiver (trace, metrics and logs services) for tests, listening on 127.0.0.1. By default it requires
 * TLS 1.3 and a client certificate verified against `tls.ca`. It records every accepted request, decoded with the
 * OTLP schema, and can be told to answer with gRPC errors or partial successes.
 */
export class OtlpTestReceiver {
  /** Accepted requests, in arrival order. */
  readonly requests: ReceivedRequest[] = [];
  /** Number of export calls that reached a handler (accepted or not). */
  attempts = 0;
  /** Optional hook deciding the answer per request. */
  respond: ReceiverResponder | undefined;
  private server: grpc.Server | undefined;
  private boundPort: number;
  private readonly options: OtlpReceiverOptions;

  constructor(options: OtlpReceiverOptions) {
    if (!options.tls && !options.insecure) throw new Error('OtlpTestReceiver needs tls or insecure: true');
    this.options = options;
    this.boundPort = options.port ?? 0;
  }

  /** Port the receiver is (or was last) bound to. */
  get port(): number {
    return this.boundPort;
  }

  /** `https://127.0.0.1:<port>` (or `http://` when insecure). */
  get url(): string {
    return `${this.options.insecure ? 'http' : 'https'}://127.0.0.1:${this.boundPort}`;
  }

  /** Starts (or restarts, on the same port) the server; resolves with the port. */
  async start(): Promise<number> {
    if (this.server) return this.boundPort;
    const server = new grpc.Server();
    for (const signal of Object.keys(OTLP_SERVICES) as OtlpSignal[]) {
      server.addService(rawExportService(OTLP_SERVICES[signal].path), {
        Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) =>
          this.handle(signal, call, callback),
      });
    }
    const credentials = this.options.tls
      ? new TlsServerCredentials(this.options.tls)
      : grpc.ServerCredentials.createInsecure();
    this.boundPort = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`127.0.0.1:${this.boundPort}`, credentials, (error, port) =>
        error ? reject(error) : resolve(port),
      );
    });
    this.server = server;
    return this.boundPort;
  }

  /** Stops the server: graceful for in-flight calls, forced after one second. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await stopGrpcServer(server);
  }

  /** Accepted requests of one signal. */
  requestsOf(signal: OtlpSignal): ReceivedRequest[] {
    return this.requests.filter((request) => request.signal === signal);
  }

  /** All accepted spans, flattened, in arrival order. */
  spans(): ReceivedSpan[] {
    const out: ReceivedSpan[] = [];
    for (const request of this.requestsOf('traces')) {
      for (const rs of list(request.decoded.resourceSpans)) {
        const resource = attributesOf((rs.resource as Obj | undefined)?.attributes);
        for (const ss of list(rs.scopeSpans)) {
          const scope = String((ss.scope as Obj | undefined)?.name ?? '');
          for (const span of list(ss.spans)) {
            out.push({
              name: String(span.name),
              traceId: String(span.traceId),
              spanId: String(span.spanId),
              attributes: attributesOf(span.attributes),
              links: list(span.links).map((l) => ({
                traceId: String(l.traceId),
                spanId: String(l.spanId),
                attributes: attributesOf(l.attributes),
              })),
              resource,
              scope,
            });
          }
        }
      }
    }
    return out;
  }

  /** All accepted log records, flattened, in arrival order. */
  logRecords(): ReceivedLogRecord[] {
    const out: ReceivedLogRecord[] = [];
    for (const request of this.requestsOf('logs')) {
      for (const rl of list(request.decoded.resourceLogs)) {
        const resource = attributesOf((rl.resource as Obj | undefined)?.attributes);
        for (const sl of list(rl.scopeLogs)) {
          for (const record of list(sl.logRecords)) {
            out.push({
              body: anyValue(record.body as Obj | undefined),
              severityText: record.severityText as string | undefined,
              attributes: attributesOf(record.attributes),
              resource,
            });
          }
        }
      }
    }
    return out;
  }

  /** All accepted metrics, flattened, in arrival order. */
  metrics(): ReceivedMetric[] {
    const out: ReceivedMetric[] = [];
    for (const request of this.requestsOf('metrics')) {
      for (const rm of list(request.decoded.resourceMetrics)) {
        const resource = attributesOf((rm.resource as Obj | undefined)?.attributes);
        for (const sm of list(rm.scopeMetrics)) {
          for (const metric of list(sm.metrics)) {
            const { name, ...data } = metric;
            out.push({ name: String(name), data, resource });
          }
        }
      }
    }
    return out;
  }

  /** Polls until `predicate` holds; rejects after `timeoutMillis`. */
  async waitFor(predicate: () => boolean, timeoutMillis = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMillis;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private handle(
    signal: OtlpSignal,
    call: grpc.ServerUnaryCall<Buffer, Buffer>,
    callback: grpc.sendUnaryData<Buffer>,
  ): void {
    this.attempts++;
    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(call.metadata.getMap())) metadata[key] = String(value);
    const subject = call.getAuthContext()?.sslPeerCertificate?.subject as { CN?: string } | undefined;
    let decoded: Record<string, unknown>;
    try {
      decoded = decodeOtlpRequest(signal, call.request);
    } catch (error) {
      callback({ code: grpc.status.INVALID_ARGUMENT, details: `undecodable request: ${(error as Error).message}` });
      return;
    }
    const request: ReceivedRequest = { signal, bytes: call.request, decoded, clientCommonName: subject?.CN, metadata };
    const answer = this.respond?.(request);
    if (answer && 'code' in answer) {
      const metadata = new grpc.Metadata();
      if (answer.retryDelayMillis !== undefined)
        metadata.set('grpc-status-details-bin', retryInfoDetails(answer.code, answer.retryDelayMillis));
      callback({ code: answer.code, details: answer.details ?? 'refused by test receiver', metadata });
      return;
    }
    this.requests.push(request);
    callback(null, encodeOtlpResponse(signal, answer?.rejected ?? 0, answer?.message ?? ''));
  }
}
