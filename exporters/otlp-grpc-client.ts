import * as grpc from '@grpc/grpc-js';
import type { OtlpSignal, ResolvedEndpoint } from './exporter-config';
import type { HandshakeDiagnostics } from './handshake-diagnostics';
import type { RetryPolicy } from './retry-policy';
import { retryDelayFromStatusDetails } from './retry-info';
import type { TlsCredentialSource } from './tls-credentials';

/** gRPC method path of each OTLP collector service. */
export const OTLP_GRPC_PATHS: Readonly<Record<OtlpSignal, string>> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

/** Result of one export call. */
export type SendOutcome =
  | { readonly ok: true; readonly response: Buffer }
  | {
      readonly ok: false;
      readonly code: number;
      readonly details: string;
      readonly aborted: boolean;
      /** The delay the receiver asked for in a `google.rpc.RetryInfo` (milliseconds), if it sent one. */
      readonly retryDelayMillis?: number;
    };

/** Options of {@link OtlpGrpcClient}. */
export interface OtlpGrpcClientOptions {
  /** Where to connect. */
  readonly endpoint: ResolvedEndpoint;
  /** TLS credentials, or `insecure` for plaintext (only reachable with an explicit `insecure: true`). */
  readonly credentials: TlsCredentialSource | 'insecure';
  /** Message compression. */
  readonly compression: 'gzip' | 'none';
  /** Used to align gRPC's reconnect backoff with the export retry policy. */
  readonly retry: RetryPolicy;
  /** Receives connection failure details for classification and logging. */
  readonly diagnostics: HandshakeDiagnostics;
}

interface ActiveClient {
  readonly client: grpc.Client;
  inflight: number;
  retired: boolean;
}

const identity = (value: Buffer): Buffer => value;
const GRPC_COMPRESSION_GZIP = 2;
const GRPC_COMPRESSION_NONE = 0;

/**
 * One gRPC channel to the collector, shared by the signals that have the same endpoint and TLS material. Sends
 * already-serialized OTLP requests (bytes in, bytes out) so callers can retry and replay without re-serializing.
 * When the TLS material is reloaded, new calls go to a new channel built from the new credentials and the old channel
 * is closed once its in-flight calls finished.
 */
export class OtlpGrpcClient {
  private active: ActiveClient | undefined;
  private readonly availableListeners = new Set<() => void>();
  private failing = false;
  private closed = false;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(private readonly options: OtlpGrpcClientOptions) {
    if (options.credentials !== 'insecure') {
      this.unsubscribe = options.credentials.onChange(() => this.retireActive());
    }
  }

  /** `host:port` of the collector. */
  get address(): string {
    return this.options.endpoint.address;
  }

  /** Registers a callback run when a call succeeds after failures ("the endpoint answers again"). */
  onAvailable(listener: () => void): () => void {
    this.availableListeners.add(listener);
    return () => this.availableListeners.delete(listener);
  }

  /** Sends one serialized export request; resolves (never rejects) with the outcome. */
  send(
    signal: OtlpSignal,
    payload: Uint8Array,
    metadata: grpc.Metadata,
    timeoutMillis: number,
    abort?: AbortSignal,
  ): Promise<SendOutcome> {
    if (this.closed)
      return Promise.resolve({ ok: false, code: grpc.status.UNAVAILABLE, details: 'exporter closed', aborted: true });
    if (abort?.aborted)
      return Promise.resolve({ ok: false, code: grpc.status.CANCELLED, details: 'aborted', aborted: true });
    let active: ActiveClient;
    try {
      active = this.client();
    } catch (error) {
      return Promise.resolve({
        ok: false,
        code: grpc.status.UNAVAILABLE,
        details: (error as Error).message,
        aborted: false,
      });
    }
    active.inflight++;
    return new Promise<SendOutcome>((resolve) => {
      let aborted = false;
      const call = active.client.makeUnaryRequest<Buffer, Buffer>(
        OTLP_GRPC_PATHS[signal],
        identity,
        identity,
        Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
        metadata,
        { deadline: Date.now() + timeoutMillis },
        (error, response) => {
          abort?.removeEventListener('abort', onAbort);
          active.inflight--;
          if (active.retired && active.inflight === 0) active.client.close();
          if (error) {
            if (error.code === grpc.status.UNAVAILABLE) this.options.diagnostics.report(error.details ?? error.message);
            this.failing = true;
            const statusDetails = error.metadata?.get('grpc-status-details-bin')[0];
            const retryDelayMillis = retryDelayFromStatusDetails(
              Buffer.isBuffer(statusDetails) ? statusDetails : undefined,
            );
            resolve({
              ok: false,
              code: error.code ?? grpc.status.UNKNOWN,
              details: error.details ?? error.message,
              aborted,
              ...(retryDelayMillis === undefined ? {} : { retryDelayMillis }),
            });
            return;
          }
          if (this.failing) {
            this.failing = false;
            this.options.diagnostics.succeeded();
            for (const listener of this.availableListeners) listener();
          }
          resolve({ ok: true, response: response ?? Buffer.alloc(0) });
        },
      );
      const onAbort = (): void => {
        aborted = true;
        call.cancel();
      };
      abort?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * For a flush or shutdown: when the last call failed, the next call goes over a fresh channel, which connects at
   * once instead of waiting out the old channel's reconnect backoff (the endpoint may be back).
   */
  retryNow(): void {
    if (this.failing && !this.closed) this.retireActive();
  }

  /** Closes the channel(s) and stops listening for credential changes. */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.availableListeners.clear();
    if (this.active) this.active.client.close();
    this.active = undefined;
  }

  private client(): ActiveClient {
    if (this.active) return this.active;
    const { credentials, endpoint, compression, retry } = this.options;
    const channelCredentials = credentials === 'insecure' ? grpc.credentials.createInsecure() : credentials.current();
    const client = new grpc.Client(endpoint.address, channelCredentials, {
      'grpc.default_compression_algorithm': compression === 'gzip' ? GRPC_COMPRESSION_GZIP : GRPC_COMPRESSION_NONE,
      'grpc.primary_user_agent': 'otel-privacy-secure-exporter',
      'grpc.initial_reconnect_backoff_ms': Math.min(retry.initialMillis, 1000),
      'grpc.max_reconnect_backoff_ms': Math.max(retry.maxMillis, 1000),
      'grpc.use_local_subchannel_pool': 1,
    });
    this.active = { client, inflight: 0, retired: false };
    return this.active;
  }

  private retireActive(): void {
    const previous = this.active;
    this.active = undefined;
    if (!previous) return;
    previous.retired = true;
    if (previous.inflight === 0) previous.client.close();
  }
}
