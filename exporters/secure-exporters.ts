import { createHash } from 'node:crypto';
import { keyNameForError } from '../engine/crypto/key-material';
import { Metadata } from '@grpc/grpc-js';
import { DeliveryLane } from './delivery-lane';
import { EncryptedSpool } from './encrypted-spool';
import { registerExporterMetrics } from './exporter-metrics';
import { diagnosticLogger, stderrExporterLogger } from './exporter-logger';
import { OTLP_SIGNALS, resolveSignalConfig } from './exporter-config';
import type { OtlpSignal, ResolvedSignalConfig } from './exporter-config';
import { HandshakeDiagnostics } from './handshake-diagnostics';
import { OtlpGrpcClient } from './otlp-grpc-client';
import {
  SecureLogRecordExporter,
  SecureMetricExporter,
  SecureSpanExporter,
  SIGNAL_CODECS,
} from './otlp-signal-exporters';
import type { LaneHandle } from './otlp-signal-exporters';
import { resolveRetryPolicy } from './retry-policy';
import { SecureExportConfigError } from './secure-export-config-error';
import type { SecureExportStats } from './secure-export-stats';
import type { PemSource, SecureExportersOptions } from './secure-exporter-options';
import { loadSpoolKey } from './spool-key';
import { TlsCredentialSource } from './tls-credentials';
import { resolveTlsProtocolSettings } from './tls-options';

/** Default spool bound: 256 MiB. */
export const DEFAULT_SPOOL_MAX_BYTES = 256 * 1024 * 1024;
/** Default time `shutdown()` spends delivering before spooling the rest. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 10_000;

/** The three exporters returned by {@link createSecureExporters}, plus shared controls. */
export interface SecureExporters {
  /** Span exporter (for `BatchSpanProcessor` / `SimpleSpanProcessor`). */
  readonly traces: SecureSpanExporter;
  /** Push metric exporter (for `PeriodicExportingMetricReader`). */
  readonly metrics: SecureMetricExporter;
  /** Log record exporter (for `BatchLogRecordProcessor` / `SimpleLogRecordProcessor`). */
  readonly logs: SecureLogRecordExporter;
  /** Counters: per-signal delivery, spool, handshake failures, certificate expiry and reloads. */
  stats(): SecureExportStats;
  /** Re-reads certificate files now (instead of waiting for the reload interval); true when credentials changed. */
  reloadCertificates(): boolean;
  /**
   * Starts the shutdown timeout now, before the SDK's final flush: batches in flight and the ones that flush hands
   * over are delivered, spooled or dropped (one line) by then, and {@link SecureExporters.shutdown} keeps this
   * deadline. Call it first when the exporters sit behind SDK processors, so the whole shutdown stays within the
   * timeout even when the endpoint accepts connections and never answers.
   */
  startShutdownClock(): void;
  /** Shuts all three exporters down (each delivers what it can within the shutdown timeout and spools the rest). */
  shutdown(): Promise<void>;
}

interface Channel {
  readonly client: OtlpGrpcClient;
  readonly diagnostics: HandshakeDiagnostics;
  readonly credentials: TlsCredentialSource | undefined;
  readonly lanes: DeliveryLane[];
  users: number;
}

function sourceKey(source: PemSource | undefined): string {
  if (source === undefined) return '';
  if (Buffer.isBuffer(source) || source.includes('-----BEGIN'))
    return `pem:${createHash('sha256').update(source).digest('hex')}`;
  return `file:${source}`;
}

function channelKey(config: ResolvedSignalConfig): string {
  const { endpoint, tlsSources, compression } = config;
  return JSON.stringify([
    endpoint.address,
    endpoint.secure,
    sourceKey(tlsSources.ca),
    sourceKey(tlsSources.cert),
    sourceKey(tlsSources.key),
    compression,
  ]);
}

function toMetadata(headers: Readonly<Record<string, string>>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(headers)) {
    try {
      // `-bin` metadata carries binary values; the header value is their base64 form
      metadata.set(key, key.endsWith('-bin') ? Buffer.from(value, 'base64') : value);
    } catch {
      // name only the part before a separator (`x-api-key: <value>` written with `:`), never a value
      const name = keyNameForError(key.split(/[\s:]/)[0]!);
      throw new SecureExportConfigError(
        `header ${name.startsWith('<') ? name : `"${name}"`} is not a valid gRPC metadata key or value (write name=value, comma-separated)`,
      );
    }
  }
  return metadata;
}

/**
 * Creates OTLP/gRPC trace, metric and log exporters that share one channel configuration: TLS 1.3 by
 * default (1.2 on request), cipher and curve allowlists, CA/client certificate/key from files or PEM with reload on
 * change, SPKI pins checked in addition to CA and hostname verification, plaintext only for `http://` with
 * `insecure: true`; retries of retryable gRPC codes with exponential backoff and full jitter; and, with `spool`, an
 * AES-256-GCM encrypted on-disk spool for batches that cannot be delivered, replayed in order.
 *
 * Configuration mistakes (plaintext endpoint without `insecure`, unreadable or mismatched certificate files, bad pins,
 * missing spool key) throw a one-line {@link SecureExportConfigError} here, at construction.
 */
export function createSecureExporters(options: SecureExportersOptions = {}): SecureExporters {
  // every line through diagnosticText: receiver answers and TLS errors are text from outside
  const logger = diagnosticLogger(options.logger ?? stderrExporterLogger);
  const env = options.env ?? process.env;
  const tlsSettings = resolveTlsProtocolSettings(options.tls);
  const retry = resolveRetryPolicy(options.retry);
  const shutdownTimeoutMillis = options.shutdownTimeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  if (!Number.isFinite(shutdownTimeoutMillis) || shutdownTimeoutMillis < 0) {
    throw new SecureExportConfigError('shutdownTimeoutMillis must be a non-negative number');
  }
  const configs = OTLP_SIGNALS.map((signal) => resolveSignalConfig(options, signal));
  const spool = options.spool
    ? new EncryptedSpool(
        options.spool.dir,
        loadSpoolKey(options.spool.key, env),
        options.spool.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES,
        logger,
        options.spool.maxMemoryBytes,
        options.spool.maxAgeMillis,
      )
    : undefined;

  const channels = new Map<string, Channel>();
  const lanes = {} as Record<OtlpSignal, DeliveryLane>;
  try {
    for (const config of configs) {
      const key = channelKey(config);
      let channel = channels.get(key);
      if (!channel) {
        const { endpoint } = config;
        const diagnostics = new HandshakeDiagnostics(endpoint.address, logger);
        let credentials: TlsCredentialSource | undefined;
        if (endpoint.secure) {
          credentials = new TlsCredentialSource(config.tlsSources, tlsSettings, endpoint.address, logger);
        } else if (options.tls) {
          logger.warn(
            `otel-privacy secure export: plaintext endpoint ${endpoint.address} (insecure: true); tls options are not used`,
          );
        }
        const client = new OtlpGrpcClient({
          endpoint,
          credentials: credentials ?? 'insecure',
          compression: config.compression,
          retry,
          diagnostics,
        });
        channel = { client, diagnostics, credentials, lanes: [], users: 0 };
        const created = channel;
        client.onAvailable(() => created.lanes.forEach((lane) => lane.wake()));
        channels.set(key, channel);
      }
      const lane = new DeliveryLane({
        signal: config.signal,
        client: channel.client,
        metadata: toMetadata(config.headers),
        timeoutMillis: config.timeoutMillis,
        retry,
        spool,
        logger,
        parseResponse: SIGNAL_CODECS[config.signal].parseResponse,
      });
      channel.lanes.push(lane);
      channel.users++;
      lanes[config.signal] = lane;
    }
  } catch (error) {
    for (const channel of channels.values()) {
      channel.client.close();
      channel.credentials?.close();
    }
    throw error;
  }

  const channelOf = (lane: DeliveryLane): Channel =>
    [...channels.values()].find((channel) => channel.lanes.includes(lane)) as Channel;
  const handle = (lane: DeliveryLane): LaneHandle => {
    let done: Promise<void> | undefined;
    return {
      lane,
      shutdown: () => {
        done ??= (async () => {
          await lane.shutdown(shutdownTimeoutMillis);
          const channel = channelOf(lane);
          if (--channel.users === 0) {
            channel.client.close();
            channel.credentials?.close();
          }
          if ([...channels.values()].every((candidate) => candidate.users === 0)) {
            unregisterMetrics();
            // batches held in memory while the spool directory was unwritable go to disk now if they can
            await spool?.close();
          }
        })();
        return done;
      },
    };
  };

  const traces = new SecureSpanExporter(handle(lanes.traces));
  const metrics = new SecureMetricExporter(handle(lanes.metrics));
  const logs = new SecureLogRecordExporter(handle(lanes.logs));

  const stats = (): SecureExportStats => {
    const handshakeFailures: Record<string, number> = {};
    let clientCertificateExpiry: Date | undefined;
    let certificateReloads = 0;
    for (const channel of channels.values()) {
      for (const [cause, count] of Object.entries(channel.diagnostics.snapshot()))
        handshakeFailures[cause] = (handshakeFailures[cause] ?? 0) + count;
      const expiry = channel.credentials?.clientCertificateExpiry();
      if (expiry && (!clientCertificateExpiry || expiry < clientCertificateExpiry)) clientCertificateExpiry = expiry;
      certificateReloads += channel.credentials?.reloadCount() ?? 0;
    }
    return {
      traces: lanes.traces.stats(),
      metrics: lanes.metrics.stats(),
      logs: lanes.logs.stats(),
      spool: spool?.stats(),
      handshakeFailures,
      clientCertificateExpiry,
      certificateReloads,
    };
  };
  const unregisterMetrics = registerExporterMetrics(stats, options.meterProvider);

  // replay what a previous run left in the spool
  if (spool) for (const signal of OTLP_SIGNALS) if (spool.has(signal)) lanes[signal].start();

  return {
    traces,
    metrics,
    logs,
    stats,
    reloadCertificates: () => {
      let changed = false;
      for (const channel of channels.values()) changed = (channel.credentials?.reload() ?? false) || changed;
      return changed;
    },
    startShutdownClock: () => {
      for (const signal of OTLP_SIGNALS) lanes[signal].startShutdownClock(shutdownTimeoutMillis);
    },
    shutdown: async () => {
      await Promise.all([traces.shutdown(), metrics.shutdown(), logs.shutdown()]);
    },
  };
}
