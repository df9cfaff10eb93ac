import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterAll } from 'vitest';
import { PrivacyMetricReader, privacyViews } from '../../../index';
import type { Policy } from '../../../index';
import { privacyPipelines } from './outside-attack';

/** Real logger and meter providers behind the privacy processors, the metric views and the metric reader. */
export interface LogsAndMetrics {
  readonly loggerProvider: LoggerProvider;
  readonly meterProvider: MeterProvider;
  /**
   * Runs `write`, collects the metrics, and returns every string of the exported logs request (bodies, attributes,
   * keys, scope) and every exported metric name and point attribute value; then resets both.
   */
  exported(write: () => void): Promise<string[]>;
}

/** Builds the providers for `policy` (delta temporality, collected on demand); shut down in the file's `afterAll`. */
export function logsAndMetrics(policy: Policy): LogsAndMetrics {
  const { loggerProvider, exportedJson } = privacyPipelines(policy);
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.DELTA);
  const reader = new PrivacyMetricReader({ policy, exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
  afterAll(async () => {
    await meterProvider.shutdown();
  });
  return {
    loggerProvider,
    meterProvider,
    async exported(write: () => void): Promise<string[]> {
      write();
      await reader.forceFlush();
      const out: string[] = [];
      JSON.parse(exportedJson().split('\n')[1], (key, value: unknown) => {
        if (typeof value === 'string') out.push(value);
        return value;
      });
      for (const rm of metricExporter.getMetrics())
        for (const sm of rm.scopeMetrics)
          for (const m of sm.metrics) {
            out.push(m.descriptor.name);
            for (const p of m.dataPoints) for (const v of Object.values(p.attributes)) out.push(String(v));
          }
      metricExporter.reset();
      return out;
    },
  };
}
