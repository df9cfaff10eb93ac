import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll } from 'vitest';
import { PrivacyMetricReader, definePolicy, privacyViews } from '../../../index';
import type { Policy } from '../../../index';

/** Where a recorded number goes: an instrument's value, or an explicit histogram's bucket boundary. */
export type MetricField = 'gauge' | 'counter' | 'up-down' | 'histogram' | 'boundary';

/**
 * The default policy with `app.*` attributes allowed and every value detector, under a fake HMAC key set for the
 * file (restored after it); read `policy()` inside tests.
 */
export function metricTestPolicy(): () => Policy {
  let policy: Policy | undefined;
  const savedKey = process.env.OTEL_PRIVACY_HMAC_KEY;
  beforeAll(() => {
    process.env.OTEL_PRIVACY_HMAC_KEY = `base64:${Buffer.alloc(32, 0x4d).toString('base64')}`; // fake test key
    policy = definePolicy({ version: 1, extends: 'default', attributes: { allow: ['app.*'] }, values: {} });
  });
  afterAll(() => {
    if (savedKey === undefined) delete process.env.OTEL_PRIVACY_HMAC_KEY;
    else process.env.OTEL_PRIVACY_HMAC_KEY = savedKey;
  });
  return () => policy!;
}

/**
 * Records `values` into the `field` of an instrument `name` with `unit` on a real MeterProvider (`privacyViews`, a
 * `PrivacyMetricReader`, an in-memory exporter); returns the export as OTLP/JSON and the exporter's counts.
 */
export async function exportedMetric(
  policy: Policy,
  field: MetricField,
  name: string,
  unit: string,
  values: readonly number[],
): Promise<{ text: string; rounded: number; dropped: number }> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PrivacyMetricReader({ policy, exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ views: privacyViews(policy), readers: [reader] });
  try {
    const meter = provider.getMeter('app');
    for (const value of values) {
      if (field === 'gauge') meter.createGauge(name, { unit }).record(value);
      else if (field === 'counter') meter.createCounter(name, { unit }).add(Math.abs(value));
      else if (field === 'up-down') meter.createUpDownCounter(name, { unit }).add(value);
      else if (field === 'histogram') meter.createHistogram(name, { unit }).record(Math.abs(value));
      else
        meter.createHistogram(name, { unit, advice: { explicitBucketBoundaries: [1, Math.abs(value)] } }).record(0.5);
    }
    await reader.forceFlush();
    const text = exporter
      .getMetrics()
      .map((rm) => Buffer.from(JsonMetricsSerializer.serializeRequest(rm)!).toString())
      .join('\n');
    const stats = reader.privacyExporter.stats;
    return { text, rounded: stats.roundedIdentifierDigits, dropped: stats.identifierValues };
  } finally {
    await provider.shutdown();
  }
}
