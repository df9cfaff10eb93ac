import { AggregationTemporality, InMemoryMetricExporter, MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_EXPORT_INTERVAL_MILLIS, PrivacyMetricReader } from '../../../processors/metrics/privacy-metric-reader';
import { makePolicy, metricOf, rawResource, series } from './metric-test-kit';

const inner = () => new InMemoryMetricExporter(AggregationTemporality.DELTA);

describe('PrivacyMetricReader', () => {
  it('export interval: the option, else metrics.exportIntervalMillis, else 60 000', () => {
    const fromPolicy = makePolicy({ metrics: { exportIntervalMillis: 15_000 } });
    expect(new PrivacyMetricReader({ policy: fromPolicy, exporter: inner() }).exportIntervalMillis).toBe(15_000);
    expect(
      new PrivacyMetricReader({ policy: fromPolicy, exporter: inner(), exportIntervalMillis: 5_000 })
        .exportIntervalMillis,
    ).toBe(5_000);
    expect(new PrivacyMetricReader({ policy: makePolicy(), exporter: inner() }).exportIntervalMillis).toBe(
      DEFAULT_EXPORT_INTERVAL_MILLIS,
    );
    expect(DEFAULT_EXPORT_INTERVAL_MILLIS).toBe(60_000);
  });

  it("exports sanitized metrics periodically on the policy's interval", async () => {
    const exporter = inner();
    const reader = new PrivacyMetricReader({
      policy: makePolicy({ metrics: { exportIntervalMillis: 100 } }),
      exporter,
    });
    const provider = new MeterProvider({ resource: rawResource(), readers: [reader] });
    provider
      .getMeter('fake-shop')
      .createCounter('fake.n')
      .add(3, { 'user.email': 'a.fake@example.com', 'http.route': '/a' });
    // No forceFlush: only the reader's own timer can export.
    await vi.waitFor(() => expect(exporter.getMetrics().length).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    const rm = exporter.getMetrics()[0]!;
    expect(series(metricOf(rm, 'fake.n'))).toEqual([{ attributes: { 'http.route': '/a' }, value: 3 }]);
    expect(rm.resource.attributes['host.name']).toBeUndefined();
    await provider.shutdown();
  });

  it('applies metrics.cardinalityLimit per instrument type (streams without a view)', async () => {
    const exporter = inner();
    const reader = new PrivacyMetricReader({
      policy: makePolicy({
        metrics: { attributes: { allow: ['fake.tier'] }, cardinalityLimit: { histogram: 2, default: 4 } },
      }),
      exporter,
      exportIntervalMillis: 3_600_000,
    });
    const provider = new MeterProvider({ resource: rawResource(), readers: [reader] });
    const m = provider.getMeter('fake-shop');
    const c = m.createCounter('fake.n');
    const h = m.createHistogram('fake.h');
    for (const tier of ['a', 'b', 'c', 'd', 'e', 'f']) {
      c.add(1, { 'fake.tier': tier });
      h.record(1, { 'fake.tier': tier });
    }
    await reader.forceFlush();
    const rm = exporter.getMetrics()[0]!;
    expect(series(metricOf(rm, 'fake.n'))).toHaveLength(4);
    expect(series(metricOf(rm, 'fake.h'))).toHaveLength(2);
    expect(series(metricOf(rm, 'fake.n')).find((s) => s.attributes['otel.metric.overflow'] === true)?.value).toBe(3);
    await provider.shutdown();
  });

  it('bad options are clear one-line errors naming the option', () => {
    const policy = makePolicy({ metrics: { exportIntervalMillis: 1_000 } });
    expect(() => new PrivacyMetricReader({ policy, exporter: inner(), exportTimeoutMillis: 5_000 })).toThrow(
      /options\.exportTimeoutMillis \(5000\) must not exceed the export interval \(1000, from the policy's metrics\.exportIntervalMillis\)/,
    );
    expect(() => new PrivacyMetricReader({ policy, exporter: inner(), exportIntervalMillis: 0 })).toThrow(
      /options\.exportIntervalMillis must be a positive integer/,
    );
    expect(() => new PrivacyMetricReader({ policy: undefined as never, exporter: inner() })).toThrow(
      /options\.policy is required/,
    );
    expect(() => new PrivacyMetricReader({ policy, exporter: undefined as never })).toThrow(
      /options\.exporter must be a PushMetricExporter/,
    );
  });
});
