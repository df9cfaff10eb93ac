import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type {
  MetricProducer,
  PeriodicExportingMetricReaderOptions,
  PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import type { Policy } from '../../policy/policy';
import type { InstrumentTypeName } from '../../policy/policy-document';
import { INSTRUMENT_TYPES } from './instrument-types';
import { PrivacyMetricExporter } from './privacy-metric-exporter';

/** The export interval when neither the options nor `metrics.exportIntervalMillis` set one (the SDK's default). */
export const DEFAULT_EXPORT_INTERVAL_MILLIS = 60_000;

/** Options of `PrivacyMetricReader`. */
export interface PrivacyMetricReaderOptions {
  /** The compiled policy to apply. */
  readonly policy: Policy;
  /** The exporter that receives only sanitized metrics; it is wrapped in a `PrivacyMetricExporter`. */
  readonly exporter: PushMetricExporter;
  /** Milliseconds between exports. Default: the policy's `metrics.exportIntervalMillis`, then 60 000. */
  readonly exportIntervalMillis?: number;
  /** Milliseconds an export (and observable callbacks) may take; at most the interval. Default: the SDK's (30 000, clamped to the interval). */
  readonly exportTimeoutMillis?: number;
  /** Additional metric producers (experimental in the SDK); their metrics go through the same wrapper. */
  readonly metricProducers?: MetricProducer[];
}

type CardinalityLimits = NonNullable<PeriodicExportingMetricReaderOptions['cardinalityLimits']>;

/** `metrics.cardinalityLimit` as the SDK reader's `cardinalityLimits` (for streams without a view setting one). */
function cardinalityLimits(policy: Policy): CardinalityLimits | undefined {
  const limit = policy.compiled.metrics.cardinalityLimits;
  if (limit === undefined) return undefined;
  const out: CardinalityLimits = {};
  for (const [name, value] of Object.entries(limit)) {
    const key = name === 'default' ? 'default' : INSTRUMENT_TYPES[name as InstrumentTypeName]?.limitKey;
    if (key !== undefined && value !== undefined) out[key] = value;
  }
  return out;
}

function checkMillis(name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)) {
    throw new TypeError(
      `PrivacyMetricReader: options.${name} must be a positive integer (milliseconds), got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * The SDK's `PeriodicExportingMetricReader` around a `PrivacyMetricExporter`: every
 * periodic export is sanitized, merged and k-anonymized before `exporter` sees it. Settings from the
 * policy, read once here because the SDK fixes them when the reader is built (they do not follow a hot reload):
 * `metrics.exportIntervalMillis` (unless `exportIntervalMillis` is given) and `metrics.cardinalityLimit` (as the
 * reader's per-instrument-type limits; views such as `privacyViews` that set their own limit take precedence). Add it to `new MeterProvider({ views: privacyViews(policy),
 * readers: [reader] })`.
 */
export class PrivacyMetricReader extends PeriodicExportingMetricReader {
  /** The wrapper this reader exports through (its `stats` say what it merged and folded). */
  readonly privacyExporter: PrivacyMetricExporter;
  /** The export interval in effect, in milliseconds. */
  readonly exportIntervalMillis: number;

  constructor(options: PrivacyMetricReaderOptions) {
    if (!options?.policy)
      throw new TypeError('PrivacyMetricReader: options.policy is required (loadPolicy/definePolicy/defaultPolicy)');
    checkMillis('exportIntervalMillis', options.exportIntervalMillis);
    checkMillis('exportTimeoutMillis', options.exportTimeoutMillis);
    const fromPolicy = options.policy.compiled.metrics.exportIntervalMillis;
    const interval = options.exportIntervalMillis ?? fromPolicy ?? DEFAULT_EXPORT_INTERVAL_MILLIS;
    const timeout = options.exportTimeoutMillis;
    if (timeout !== undefined && timeout > interval) {
      const source =
        options.exportIntervalMillis !== undefined
          ? 'options.exportIntervalMillis'
          : fromPolicy !== undefined
            ? "the policy's metrics.exportIntervalMillis"
            : 'the default';
      throw new RangeError(
        `PrivacyMetricReader: options.exportTimeoutMillis (${timeout}) must not exceed the export interval (${interval}, from ${source})`,
      );
    }
    const exporter = new PrivacyMetricExporter({ policy: options.policy, exporter: options.exporter });
    const limits = cardinalityLimits(options.policy);
    super({
      exporter,
      exportIntervalMillis: interval,
      ...(timeout !== undefined ? { exportTimeoutMillis: timeout } : {}),
      ...(limits !== undefined ? { cardinalityLimits: limits } : {}),
      ...(options.metricProducers !== undefined ? { metricProducers: options.metricProducers } : {}),
    });
    this.privacyExporter = exporter;
    this.exportIntervalMillis = interval;
  }
}
