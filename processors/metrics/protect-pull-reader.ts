import type { ExportResult } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import type { CollectionResult, MetricReader, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Policy } from '../../policy/policy';
import { sanitizeResource } from '../resource/sanitize-resource';
import { PrivacyMetricExporter } from './privacy-metric-exporter';

/** Readers already protected, and the exporter wrapper each one's collections go through. */
const protectedReaders = new WeakMap<MetricReader, PrivacyMetricExporter>();

/** A push exporter that only keeps what it was handed last (the wrapper hands it over synchronously). */
class Capture implements PushMetricExporter {
  last: ResourceMetrics | undefined;
  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.last = metrics;
    resultCallback({ code: 0 });
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Makes a pull reader (Prometheus' `PrometheusExporter`, any `MetricReader` that serves `collect()` itself) apply the
 * same export-time checks as `PrivacyMetricExporter`: every `collect()` result, the SDK's own metrics and those of
 * the reader's `metricProducers` alike, goes through the wrapper before the reader serves it (resource and scope
 * rules, metric names, point attributes by scope, identifier numbers, merging, `kAnonymity`). Fail closed: a
 * collection the wrapper cannot sanitize is served without metrics, with the error in `errors` (counted in
 * `policy.counters.dropped.metrics.failed`). Returns `reader` (the same object; protecting it twice is a no-op);
 * `withPrivacy` does this for every reader that is not a periodic one. Periodic readers: use `PrivacyMetricReader`.
 */
export function protectPullReader<R extends MetricReader>(reader: R, policy: Policy): R {
  if (!reader || typeof reader.collect !== 'function')
    throw new TypeError('protectPullReader: reader must be a MetricReader (an object with collect())');
  if (!policy) throw new TypeError('protectPullReader: a policy is required (loadPolicy/definePolicy/defaultPolicy)');
  if (protectedReaders.has(reader)) return reader;
  const capture = new Capture();
  const wrapper = new PrivacyMetricExporter({ policy, exporter: capture });
  protectedReaders.set(reader, wrapper);
  const collect = reader.collect.bind(reader);
  reader.collect = async (options?: { timeoutMillis?: number }): Promise<CollectionResult> => {
    const result = await collect(options);
    capture.last = undefined;
    let failure: unknown;
    wrapper.export(result.resourceMetrics, (r) => (failure = r.error));
    const clean = capture.last as ResourceMetrics | undefined;
    capture.last = undefined;
    if (clean !== undefined) return { resourceMetrics: clean, errors: result.errors };
    // the wrapper counted the failure; nothing unsanitized is served
    let resource: ResourceMetrics['resource'];
    try {
      resource = sanitizeResource(policy, result.resourceMetrics.resource);
    } catch {
      return { resourceMetrics: { resource: emptyResource(), scopeMetrics: [] }, errors: [...result.errors, failure] };
    }
    return { resourceMetrics: { resource, scopeMetrics: [] }, errors: [...result.errors, failure] };
  };
  return reader;
}

/** The `PrivacyMetricExporter` a protected reader's collections go through (its `stats`), or `undefined`. */
export function pullReaderPrivacyExporter(reader: MetricReader): PrivacyMetricExporter | undefined {
  return protectedReaders.get(reader);
}
