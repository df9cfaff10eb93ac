import type { ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import {
  disableExportBatching,
  isPeriodicReader,
  periodicReaderExporter,
  replacePeriodicReaderExporter,
} from '../../../processors/sdk-internals/metric-reader-internals';
import { SDK_LINES, sdkTraceVersion } from './sdk-lines';

/** A push exporter that records every export it is handed. */
function recordingExporter() {
  const exports: ResourceMetrics[] = [];
  const exporter: PushMetricExporter = {
    export: (metrics: ResourceMetrics, done: (result: ExportResult) => void) => {
      exports.push(metrics);
      done({ code: 0 });
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  return { exporter, exports };
}

function pointCount(metrics: ResourceMetrics): number {
  return metrics.scopeMetrics.reduce((n, s) => n + s.metrics.reduce((m, d) => m + d.dataPoints.length, 0), 0);
}

describe.each(SDK_LINES)('metric reader internals on $name', (line) => {
  function setup(maxExportBatchSize?: number) {
    const { MeterProvider, PeriodicExportingMetricReader } = line.metrics();
    const original = recordingExporter();
    const reader = new PeriodicExportingMetricReader({
      exporter: original.exporter,
      exportIntervalMillis: 3_600_000,
      ...(maxExportBatchSize === undefined ? {} : { maxExportBatchSize }),
    });
    const provider = new MeterProvider({ readers: [reader] });
    const meter = provider.getMeter('sdk-internals-test');
    meter.createCounter('a').add(1, { route: '/a' });
    meter.createCounter('b').add(1, { route: '/b' });
    return { reader, provider, original };
  }

  it('runs on the line it names', () => {
    expect(Number(sdkTraceVersion(line).split('.')[0])).toBe(line.major);
  });

  it('reads the exporter of a periodic reader, and nothing from another reader', async () => {
    const { reader, provider, original } = setup();
    expect(periodicReaderExporter(reader)).toBe(original.exporter);
    expect(isPeriodicReader(reader)).toBe(true);
    const pull = new (class extends line.metrics().MetricReader {
      protected async onForceFlush(): Promise<void> {}
      protected async onShutdown(): Promise<void> {}
    })();
    expect(periodicReaderExporter(pull)).toBeUndefined();
    expect(isPeriodicReader(pull)).toBe(false);
    await provider.shutdown();
  });

  it('hands later exports to the replacement exporter', async () => {
    const { reader, provider, original } = setup();
    const replacement = recordingExporter();
    replacePeriodicReaderExporter(reader, replacement.exporter);
    await reader.forceFlush();
    expect(original.exports).toHaveLength(0);
    expect(replacement.exports.map(pointCount)).toEqual([2]);
    await provider.shutdown();
  });

  it('turns off export batching, so the exporter sees each collection whole', async () => {
    const batched = setup(1);
    await batched.reader.forceFlush();
    expect(batched.original.exports.map(pointCount)).toEqual([1, 1]);
    await batched.provider.shutdown();

    const whole = setup(1);
    expect(disableExportBatching(whole.reader)).toBe(true);
    expect(disableExportBatching(whole.reader)).toBe(false);
    await whole.reader.forceFlush();
    expect(whole.original.exports.map(pointCount)).toEqual([2]);
    await whole.provider.shutdown();
  });
});
