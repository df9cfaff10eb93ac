import type { ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';

/**
 * A view of a metric exporter that several readers share (the application's metrics and the `otel_privacy.*`
 * self-metrics use one secure channel): export, flush and the aggregation selectors go to the exporter, `shutdown`
 * does not, so the first reader to shut down cannot close it under the other one. Its owner shuts it down last.
 */
export function sharedMetricExporter(exporter: PushMetricExporter): PushMetricExporter {
  const shared: PushMetricExporter = {
    export: (metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void) =>
      exporter.export(metrics, resultCallback),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => Promise.resolve(),
  };
  if (exporter.selectAggregationTemporality)
    shared.selectAggregationTemporality = exporter.selectAggregationTemporality.bind(exporter);
  if (exporter.selectAggregation) shared.selectAggregation = exporter.selectAggregation.bind(exporter);
  return shared;
}
