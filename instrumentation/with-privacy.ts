import { privacyDiag } from '../engine/diagnostic-text';
import type { TextMapPropagator } from '@opentelemetry/api';
import { defaultResource, detectResources, resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter, LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { IMetricReader, MetricReader, PushMetricExporter, ViewOptions } from '@opentelemetry/sdk-metrics';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import type { Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Policy } from '../policy/policy';
import { PrivacyLogRecordProcessor } from '../processors/logs/privacy-log-record-processor';
import { PrivacyMetricExporter } from '../processors/metrics/privacy-metric-exporter';
import { PrivacyMetricReader } from '../processors/metrics/privacy-metric-reader';
import { protectPullReader } from '../processors/metrics/protect-pull-reader';
import { privacySampler } from '../processors/sampling/privacy-sampler';
import { PrivacySpanProcessor } from '../processors/traces/privacy-span-processor';
import { privacyAttributesProcessor, privacyViews } from '../processors/metrics/privacy-views';
import { privacyResourceDetector, sanitizeResource } from '../processors/resource/sanitize-resource';
import {
  disableExportBatching,
  isPeriodicReader,
  periodicReaderExporter,
  replacePeriodicReaderExporter,
} from '../processors/sdk-internals/metric-reader-internals';
import { CountingSampler } from './counting-sampler';
import { PrivacyPropagator, propagatorFromEnvironment } from './privacy-propagator';
import { applyPrivacyInstrumentationConfig } from './load-instrumentations';
import { resourceDetectorsFromEnv } from './resource-detectors-from-env';

/** A `NodeSDK` configuration (the constructor's argument). */
export type NodeSdkConfig = Partial<NodeSDKConfiguration>;

/** Exporters for signals the configuration gives no processor or reader for (e.g. `createSecureExporters()`). */
export interface PrivacyExporters {
  /** Used as `BatchSpanProcessor` → `PrivacySpanProcessor` when the configuration has no span processor. */
  readonly traces?: SpanExporter;
  /** Used as `PrivacyMetricReader` when the configuration has no metric reader. */
  readonly metrics?: PushMetricExporter;
  /** Used as `BatchLogRecordProcessor` → `PrivacyLogRecordProcessor` when the configuration has no log processor. */
  readonly logs?: LogRecordExporter;
}

/** Options of {@link withPrivacy}. */
export interface WithPrivacyOptions {
  /** The compiled policy applied to every signal. */
  readonly policy: Policy;
  /** Exporters for signals the configuration does not set up itself. */
  readonly exporters?: PrivacyExporters;
  /** Export interval of a metric reader built from `exporters.metrics` (default: the policy's, then 60 000). */
  readonly exportIntervalMillis?: number;
}

/** What {@link buildPrivacySdkConfig} built, for self-metrics and shutdown. */
export interface PrivacySdkParts {
  /** The configuration to give `new NodeSDK(...)`. */
  readonly config: NodeSdkConfig;
  /** The sanitized resource every provider gets. */
  readonly resource: Resource;
  /** The privacy sampler, when the configuration did not set its own. */
  readonly sampler: CountingSampler | undefined;
  /** The log processor wrapping the configuration's log processors, if any. */
  readonly logProcessor: PrivacyLogRecordProcessor | undefined;
}

/**
 * Makes a metric reader export through the policy: a `PrivacyMetricReader` is kept; a push reader built on the SDK's
 * `PeriodicExportingMetricReader` gets its exporter wrapped in a `PrivacyMetricExporter` (resource policy,
 * k-anonymity, merging of series that collide after redaction); any other reader (pull readers such as Prometheus)
 * has its `collect()` results go through a `PrivacyMetricExporter` too (`protectPullReader`), besides the privacy
 * views, which apply the policy before aggregation.
 */
function wrapMetricReader(policy: Policy, reader: IMetricReader): IMetricReader {
  if (reader instanceof PrivacyMetricReader) return reader;
  const exporter = periodicReaderExporter(reader);
  if (exporter !== undefined) {
    if (!(exporter instanceof PrivacyMetricExporter))
      replacePeriodicReaderExporter(reader, new PrivacyMetricExporter({ policy, exporter }));
    // The SDK splits an export into batches before the exporter sees it; merging of colliding series and the
    // k-anonymity fold need the whole export, so the split is turned off.
    if (disableExportBatching(reader))
      privacyDiag.warn(
        'otel-privacy withPrivacy: maxExportBatchSize is ignored on a metric reader the policy wraps (merging and k-anonymity need each export whole)',
      );
  } else if (isPeriodicReader(reader)) {
    privacyDiag.warn(
      'otel-privacy withPrivacy: a periodic metric reader without a recognizable exporter cannot be wrapped; it is protected by the privacy views only (no scope rules, merging or k-anonymity at export)',
    );
  } else if (typeof (reader as Partial<MetricReader>).collect === 'function') {
    protectPullReader(reader as MetricReader, policy);
  }
  return reader;
}

/** The views to use: the privacy views, plus the user's own with the policy's attributes processor appended. */
function privateViews(policy: Policy, views: readonly ViewOptions[] | undefined): ViewOptions[] {
  const processor = privacyAttributesProcessor(policy);
  const own = (views ?? []).map((view) => ({
    ...view,
    attributesProcessors: [...(view.attributesProcessors ?? []), processor],
  }));
  return [...own, ...privacyViews(policy)];
}

/**
 * The propagator the SDK installs: the configuration's own wrapped in a `PrivacyPropagator` (one that already is one
 * is kept), `null` kept (no propagation), and without one, the propagators `OTEL_PROPAGATORS` names (default W3C trace
 * context and baggage) wrapped, which is what the SDK would otherwise build from the variable itself, unfiltered.
 */
function privatePropagator(policy: Policy, propagator: TextMapPropagator | null | undefined): TextMapPropagator | null {
  if (propagator === null) return null;
  if (propagator instanceof PrivacyPropagator) return propagator;
  const inner = propagator ?? propagatorFromEnvironment();
  return inner === null ? null : new PrivacyPropagator({ policy, propagator: inner });
}

/** The configuration's resource, detectors and service name, merged and sanitized once. */
function privateResource(policy: Policy, config: NodeSdkConfig): Resource {
  let raw = config.resource ?? defaultResource();
  const detectors =
    config.autoDetectResources === false ? [] : (config.resourceDetectors ?? resourceDetectorsFromEnv());
  if (detectors.length > 0)
    raw = raw.merge(detectResources({ detectors: [privacyResourceDetector(policy, detectors)] }));
  if (config.serviceName !== undefined) raw = raw.merge(resourceFromAttributes({ 'service.name': config.serviceName }));
  return sanitizeResource(policy, raw);
}

/**
 * The singular options of the OpenTelemetry JS 2.x `NodeSDK` (`spanProcessor`, `logRecordProcessor`, `metricReader`;
 * deprecated for the plural lists, still honoured by its 0.20x releases and absent from the 3.x types).
 */
interface SingularOptions {
  spanProcessor?: SpanProcessor;
  logRecordProcessor?: LogRecordProcessor;
  metricReader?: MetricReader;
}

/** A plural option with its singular one appended; `undefined` when neither is given. */
function listed<T>(list: readonly T[] | undefined, one: T | undefined): T[] | undefined {
  if (one === undefined) return list === undefined ? undefined : [...list];
  return [...(list ?? []), one];
}

let warnedNoExporter = false;

function warnMissing(signal: string): void {
  if (warnedNoExporter) return;
  warnedNoExporter = true;
  privacyDiag.warn(
    `otel-privacy withPrivacy: the configuration has no ${signal} processor/reader and no exporters.${signal === 'span' ? 'traces' : signal === 'metric' ? 'metrics' : 'logs'}; that signal is not exported (the SDK would otherwise build unsanitized ones from OTEL_* variables)`,
  );
}

/**
 * {@link withPrivacy}, also returning what it built (the counting sampler and the log processor, for self-metrics).
 */
export function buildPrivacySdkConfig(config: NodeSdkConfig, options: WithPrivacyOptions): PrivacySdkParts {
  const { policy, exporters } = options;
  if (!policy) throw new TypeError('withPrivacy: options.policy is required (loadPolicy/definePolicy/defaultPolicy)');

  // The OpenTelemetry JS 2.x NodeSDK's singular options (deprecated there, still honoured): one more entry of their list.
  const singular = config as NodeSdkConfig & SingularOptions;
  const givenSpans = listed(config.spanProcessors, singular.spanProcessor);
  const givenReaders = listed(config.metricReaders, singular.metricReader);
  const givenLogs = listed(config.logRecordProcessors, singular.logRecordProcessor);

  // Traces: every given processor (or the trace exporter given alone) behind one PrivacySpanProcessor.
  let spanTargets: SpanProcessor[] = [...(givenSpans ?? [])];
  if (spanTargets.length === 0 && config.traceExporter)
    spanTargets = [new BatchSpanProcessor({ exporter: config.traceExporter })];
  if (spanTargets.length === 0 && exporters?.traces)
    spanTargets = [new BatchSpanProcessor({ exporter: exporters.traces })];
  const already = spanTargets.filter((p) => p instanceof PrivacySpanProcessor);
  const raw = spanTargets.filter((p) => !(p instanceof PrivacySpanProcessor));
  const spanProcessors: SpanProcessor[] = [
    ...already,
    ...(raw.length > 0 ? [new PrivacySpanProcessor({ policy, next: raw })] : []),
  ];
  if (spanProcessors.length === 0 && givenSpans === undefined) warnMissing('span');

  // Metrics: push readers export through PrivacyMetricExporter; every reader (pull ones too) sees privacy views.
  let metricReaders = (givenReaders ?? []).map((reader) => wrapMetricReader(policy, reader));
  if (metricReaders.length === 0 && exporters?.metrics) {
    metricReaders = [
      new PrivacyMetricReader({
        policy,
        exporter: exporters.metrics,
        ...(options.exportIntervalMillis !== undefined ? { exportIntervalMillis: options.exportIntervalMillis } : {}),
      }),
    ];
  }
  if (metricReaders.length === 0 && givenReaders === undefined) warnMissing('metric');

  // Logs: every given processor behind one PrivacyLogRecordProcessor.
  let logTargets: LogRecordProcessor[] = [...(givenLogs ?? [])];
  if (logTargets.length === 0 && exporters?.logs)
    logTargets = [new BatchLogRecordProcessor({ exporter: exporters.logs })];
  const logProcessor = logTargets.length > 0 ? new PrivacyLogRecordProcessor({ policy, next: logTargets }) : undefined;
  if (!logProcessor && givenLogs === undefined) warnMissing('logs');

  // Instrumentations: options that keep data out at the source, under the options they were given.
  applyPrivacyInstrumentationConfig(policy, (config.instrumentations ?? []).flat());

  const sampler: CountingSampler | undefined = config.sampler ? undefined : new CountingSampler(privacySampler(policy));
  const resource = privateResource(policy, config);
  const out: NodeSdkConfig = {
    ...config,
    resource,
    autoDetectResources: false,
    resourceDetectors: [],
    serviceName: undefined,
    sampler: (config.sampler ?? sampler) as Sampler,
    spanProcessors,
    metricReaders,
    views: privateViews(policy, config.views),
    logRecordProcessors: logProcessor ? [logProcessor] : [],
    textMapPropagator: privatePropagator(policy, config.textMapPropagator),
  };
  delete out.traceExporter;
  const rest = out as NodeSdkConfig & SingularOptions;
  delete rest.spanProcessor;
  delete rest.logRecordProcessor;
  delete rest.metricReader;
  return { config: out, resource, sampler, logProcessor };
}

/**
 * Returns a `NodeSDK` configuration in which nothing leaves the process unsanitized:
 *
 * - **Traces**: every `spanProcessors` entry (or a `traceExporter` given alone, as a `BatchSpanProcessor`) is wrapped in
 *   one `PrivacySpanProcessor`; entries that already are one are kept. The sampler is `privacySampler(policy)` unless
 *   the configuration sets `sampler`.
 * - **Metrics**: the views are `privacyViews(policy)` (the policy applied before aggregation, which also protects pull
 *   readers such as Prometheus) plus your own views with `privacyAttributesProcessor(policy)` appended. Push readers
 *   built on the SDK's `PeriodicExportingMetricReader` get their exporter wrapped in a `PrivacyMetricExporter` (resource
 *   policy, k-anonymity, merging of series that collide after redaction); a `PrivacyMetricReader` is kept; pull readers
 *   cannot be wrapped from outside (they are read by a scraper), so they rely on the views and the sanitized resource.
 * - **Logs**: every `logRecordProcessors` entry is wrapped in one `PrivacyLogRecordProcessor`.
 * - The OpenTelemetry JS 2.x singular options `spanProcessor`, `logRecordProcessor` and `metricReader` are read as one
 *   more entry of `spanProcessors`, `logRecordProcessors` and `metricReaders` (wrapped the same way) and are not in
 *   the returned configuration.
 * - **Resource**: `resource` (or the SDK's default), the detectors (`resourceDetectors`, or the SDK's default set /
 *   `OTEL_NODE_RESOURCE_DETECTORS`, run through `privacyResourceDetector`) and `serviceName` are merged and sanitized
 *   once; the SDK's own detection is turned off so it cannot add unsanitized attributes.
 * - **Instrumentations**: `privacyInstrumentationConfig(policy)` is applied to the given instrumentations under their
 *   own options (no header capture unless the policy keeps the header, `redactedQueryParams`, DB statement options).
 * - **Propagation**: the `textMapPropagator` (or, without one, the propagators `OTEL_PROPAGATORS` names, default W3C
 *   trace context and baggage) is wrapped in a `PrivacyPropagator`: incoming and outgoing `baggage` and `tracestate`
 *   headers carry only what the policy's `propagation` section and `traces.traceState` keep. `null` (no propagation)
 *   is kept.
 * - A signal with neither a processor/reader in the configuration nor an entry in `exporters` gets an explicit empty
 *   list, so the SDK does not build unsanitized exporters from `OTEL_*_EXPORTER` on its own (a warning says so).
 */
export function withPrivacy(config: NodeSdkConfig, options: WithPrivacyOptions): NodeSdkConfig {
  return buildPrivacySdkConfig(config, options).config;
}
