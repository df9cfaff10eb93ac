import { printOnlySummary } from '../engine/inspect-summary';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableLogRecord, LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import {
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import type { BatchOutcome, DeliveryLane, PartialSuccess } from './delivery-lane';
import type { OtlpSignal } from './exporter-config';

/** Serializes one signal's SDK data to an OTLP protobuf request and decodes the partial-success part of responses. */
export interface SignalCodec<T> {
  /** Returns the ExportXServiceRequest bytes, or undefined when serialization failed. */
  serialize(items: T): Uint8Array | undefined;
  /** Decodes the rejected-count and message from an ExportXServiceResponse. */
  parseResponse(response: Buffer): PartialSuccess;
}

function partial(rejected: unknown, message: unknown): PartialSuccess {
  return {
    rejected: Number(rejected ?? 0) || 0,
    message: typeof message === 'string' && message ? message : undefined,
  };
}

/** Codecs backed by the `@opentelemetry/otlp-transformer` protobuf serializers (the ones upstream exporters use). */
export const SIGNAL_CODECS: {
  readonly traces: SignalCodec<ReadableSpan[]>;
  readonly metrics: SignalCodec<ResourceMetrics>;
  readonly logs: SignalCodec<ReadableLogRecord[]>;
} = {
  traces: {
    serialize: (spans) => ProtobufTraceSerializer.serializeRequest(spans),
    parseResponse: (response) => {
      const decoded = ProtobufTraceSerializer.deserializeResponse(response);
      return partial(decoded.partialSuccess?.rejectedSpans, decoded.partialSuccess?.errorMessage);
    },
  },
  metrics: {
    serialize: (metrics) => ProtobufMetricsSerializer.serializeRequest(metrics),
    parseResponse: (response) => {
      const decoded = ProtobufMetricsSerializer.deserializeResponse(response);
      return partial(decoded.partialSuccess?.rejectedDataPoints, decoded.partialSuccess?.errorMessage);
    },
  },
  logs: {
    serialize: (logs) => ProtobufLogsSerializer.serializeRequest(logs),
    parseResponse: (response) => {
      const decoded = ProtobufLogsSerializer.deserializeResponse(response);
      return partial(decoded.partialSuccess?.rejectedLogRecords, decoded.partialSuccess?.errorMessage);
    },
  },
};

/** Lifecycle shared by the three exporters: shutting down a lane and releasing shared resources. */
export interface LaneHandle {
  readonly lane: DeliveryLane;
  /** Shuts the lane down (bounded by the shutdown timeout) and releases the shared channel when it was the last user. */
  shutdown(): Promise<void>;
}

/**
 * An error for the SDK's error handler without a stack: the cause was already logged once, on one line, and the SDK
 * prints an error's stack as a JSON dump for every failed batch.
 */
function stacklessError(message: string): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}`;
  return error;
}

function toResult(outcome: BatchOutcome, signal: OtlpSignal): ExportResult {
  if (outcome === 'failed')
    return {
      code: ExportResultCode.FAILED,
      error: stacklessError(
        `otel-privacy: ${signal} batch could not be delivered or spooled (see the line logged before)`,
      ),
    };
  return { code: ExportResultCode.SUCCESS };
}

abstract class SignalExporterBase<T> {
  private stopped = false;

  protected constructor(
    private readonly handle: LaneHandle,
    private readonly codec: SignalCodec<T>,
  ) {}

  protected exportItems(items: T, resultCallback: (result: ExportResult) => void): void {
    const signal = this.handle.lane.signal;
    if (this.stopped) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: stacklessError(`otel-privacy: ${signal} exporter is shut down`),
      });
      return;
    }
    let payload: Uint8Array | undefined;
    try {
      payload = this.codec.serialize(items);
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
      return;
    }
    if (!payload) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: new Error(`otel-privacy: ${signal} batch could not be serialized`),
      });
      return;
    }
    this.handle.lane.submit(payload).then(
      (outcome) => resultCallback(toResult(outcome, signal)),
      (error: unknown) => resultCallback({ code: ExportResultCode.FAILED, error: error as Error }),
    );
  }

  /** Resolves when every batch exported so far was delivered, spooled or failed. */
  forceFlush(): Promise<void> {
    return this.handle.lane.forceFlush();
  }

  /** Delivers what it can within the shutdown timeout, spools the rest, and stops accepting batches. */
  shutdown(): Promise<void> {
    this.stopped = true;
    return this.handle.shutdown();
  }
}

/** OTLP/gRPC span exporter with TLS 1.3/mTLS, pinning, retry and encrypted spool; created by `createSecureExporters`. */
export class SecureSpanExporter extends SignalExporterBase<ReadableSpan[]> implements SpanExporter {
  /** @internal use `createSecureExporters`. */
  constructor(handle: LaneHandle) {
    super(handle, SIGNAL_CODECS.traces);
  }

  /** Serializes the spans and hands them to the delivery lane; SUCCESS once sent or durably spooled. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exportItems(spans, resultCallback);
  }
}

/** OTLP/gRPC metric exporter with TLS 1.3/mTLS, pinning, retry and encrypted spool; created by `createSecureExporters`. */
export class SecureMetricExporter extends SignalExporterBase<ResourceMetrics> implements PushMetricExporter {
  /** @internal use `createSecureExporters`. */
  constructor(handle: LaneHandle) {
    super(handle, SIGNAL_CODECS.metrics);
  }

  /** Serializes the metrics and hands them to the delivery lane; SUCCESS once sent or durably spooled. */
  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.exportItems(metrics, resultCallback);
  }
}

/** OTLP/gRPC log exporter with TLS 1.3/mTLS, pinning, retry and encrypted spool; created by `createSecureExporters`. */
export class SecureLogRecordExporter extends SignalExporterBase<ReadableLogRecord[]> implements LogRecordExporter {
  /** @internal use `createSecureExporters`. */
  constructor(handle: LaneHandle) {
    super(handle, SIGNAL_CODECS.logs);
  }

  /** Serializes the log records and hands them to the delivery lane; SUCCESS once sent or durably spooled. */
  export(logs: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this.exportItems(logs, resultCallback);
  }
}

// The lane behind them holds the spool key and TLS material: exporters print only their signal.
for (const [cls, name] of [
  [SecureSpanExporter, 'SecureSpanExporter'],
  [SecureMetricExporter, 'SecureMetricExporter'],
  [SecureLogRecordExporter, 'SecureLogRecordExporter'],
] as const)
  printOnlySummary(cls.prototype as object, name, (e) => ({
    signal: (e as unknown as { handle: LaneHandle }).handle.lane.signal,
  }));
