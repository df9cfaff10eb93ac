import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SamplingDecision, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { context, SpanKind } from '@opentelemetry/api';
import type { SpanStatusCode } from '@opentelemetry/api';
import { PrivacySpanProcessor } from '../../processors/traces/privacy-span-processor';
import { describe, expect, it } from 'vitest';
import { registerExporterMetrics } from '../../exporters/exporter-metrics';
import type { SecureExportStats } from '../../exporters/secure-export-stats';
import { CountingSampler } from '../../instrumentation/counting-sampler';
import { registerPrivacySelfMetrics } from '../../instrumentation/privacy-self-metrics';
import { definePolicy } from '../../policy/load-policy';

process.env.SELF_METRICS_TEST_HMAC = 'fake-hmac-key-for-the-self-metrics-test-01234';

function points(
  exporter: InMemoryMetricExporter,
  name: string,
): Array<{ attributes: Record<string, unknown>; value: unknown }> {
  const metric = exporter
    .getMetrics()
    .at(-1)
    ?.scopeMetrics.flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((p) => ({
    attributes: p.attributes as Record<string, unknown>,
    value: p.value,
  }));
}

/** A policy with a fake key, a meter provider with the self-metrics registered, and a tracer behind the processor. */
function selfMetricsSetup() {
  const policy = definePolicy({ version: 1, keys: { hmac: { id: 'k1', env: 'SELF_METRICS_TEST_HMAC' } } });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const unregister = registerPrivacySelfMetrics({ policy, meterProvider: provider });
  const tracer = new TracerProvider({
    spanProcessors: [
      new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() }) }),
    ],
  }).getTracer('t');
  return { exporter, reader, provider, unregister, tracer };
}

describe('registerPrivacySelfMetrics', () => {
  it('reports fields replaced because their value was not of their OTLP type, by signal', async () => {
    const { exporter, reader, provider, unregister, tracer } = selfMetricsSetup();
    const span = tracer.startSpan(['a'] as unknown as string, { kind: 'server' as unknown as SpanKind });
    span.setStatus({ code: 7 as SpanStatusCode });
    span.end();
    await reader.forceFlush();
    expect(points(exporter, 'otel_privacy.fields.invalid')).toEqual([{ attributes: { signal: 'traces' }, value: 3 }]);
    unregister();
    await provider.shutdown();
  });

  it('reports times replaced because the application passed one outside the plausible window, by signal', async () => {
    const { exporter, reader, provider, unregister, tracer } = selfMetricsSetup();
    tracer.startSpan('real').end();
    await reader.forceFlush();
    expect(points(exporter, 'otel_privacy.times.replaced')).toEqual([]);
    // a fake card number as the start's seconds, a 555 number as the end's epoch milliseconds (1970)
    tracer.startSpan('s', { startTime: [4111111111111111, 0] }).end(2025550143);
    await reader.forceFlush();
    expect(points(exporter, 'otel_privacy.times.replaced')).toEqual([{ attributes: { signal: 'traces' }, value: 1 }]);
    unregister();
    await provider.shutdown();
  });

  it('reports string values the SDK cut at its length limit, masked at their end, by signal', async () => {
    const policy = definePolicy({ version: 1, attributes: { allow: ['app.note'] }, values: { detectors: ['email'] } });
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const unregister = registerPrivacySelfMetrics({ policy, meterProvider: provider });
    const tracer = new TracerProvider({
      spanLimits: { attributeValueLengthLimit: 16 },
      spanProcessors: [
        new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() }) }),
      ],
    }).getTracer('t');
    tracer.startSpan('short', { attributes: { 'app.note': 'short note' } }).end();
    await reader.forceFlush();
    expect(points(exporter, 'otel_privacy.values.cut')).toEqual([]);
    tracer.startSpan('cut', { attributes: { 'app.note': 'mail jane.doe@example.com' } }).end();
    await reader.forceFlush();
    expect(points(exporter, 'otel_privacy.values.cut')).toEqual([{ attributes: { signal: 'traces' }, value: 1 }]);
    unregister();
    await provider.shutdown();
  });

  it('reports values by signal and action, per rule, and dropped items by reason, with no raw values', async () => {
    const policy = definePolicy({
      version: 1,
      keys: { hmac: { id: 'k1', env: 'SELF_METRICS_TEST_HMAC' } },
      attributes: { allow: ['http.route', 'app.note'], hash: ['user.id'] },
      values: { detectors: ['email', 'phone'] },
    });
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const never: Sampler = { shouldSample: () => ({ decision: SamplingDecision.NOT_RECORD }), toString: () => 'never' };
    const sampler = new CountingSampler(never);
    const logProcessor = { dropped: { sampledOut: 4, belowMinSeverity: 5 } };
    const unregister = registerPrivacySelfMetrics({
      policy,
      meterProvider: provider,
      samplers: [sampler],
      logProcessors: [logProcessor],
    });

    const traces = policy.sanitizer('traces');
    traces.sanitize({ 'http.route': '/a', 'user.id': 'jane-0001', 'user.email': 'jane.doe@example.com' });
    traces.sanitize({ 'user.id': 'john-0002', 'x.secret': 's3cr3t' });
    traces.sanitize({ 'app.note': 'mail jane.doe@example.com or john@example.com, call +1 202 555 0143' });
    policy.sanitizer('logs').sanitize({ 'user.email': 'jane.doe@example.com' });
    for (let i = 0; i < 3; i++)
      sampler.shouldSample(context.active(), '0af7651916cd43dd8448eb211c80319c', 'x', SpanKind.SERVER, {}, []);
    policy.counters.recordFailure('traces', 'a span was dropped', new Error('test'));

    await reader.forceFlush();
    expect(points(exporter, 'otel_privacy.values')).toEqual(
      expect.arrayContaining([
        { attributes: { signal: 'traces', action: 'allow' }, value: 2 },
        { attributes: { signal: 'traces', action: 'hash' }, value: 2 },
        { attributes: { signal: 'traces', action: 'drop' }, value: 2 },
        { attributes: { signal: 'logs', action: 'drop' }, value: 1 },
      ]),
    );
    expect(points(exporter, 'otel_privacy.findings')).toEqual(
      expect.arrayContaining([
        { attributes: { type: 'email' }, value: 2 },
        { attributes: { type: 'phone' }, value: 1 },
      ]),
    );
    expect(points(exporter, 'otel_privacy.rule.values')).toEqual(
      expect.arrayContaining([{ attributes: { signal: 'traces', action: 'hash', rule: 'hash "user.id"' }, value: 2 }]),
    );
    expect(points(exporter, 'otel_privacy.items.dropped')).toEqual(
      expect.arrayContaining([
        { attributes: { signal: 'traces', reason: 'failed' }, value: 1 },
        { attributes: { signal: 'traces', reason: 'sampled_out' }, value: 3 },
        { attributes: { signal: 'logs', reason: 'sampled_out' }, value: 4 },
        { attributes: { signal: 'logs', reason: 'below_min_severity' }, value: 5 },
      ]),
    );
    const text = JSON.stringify(exporter.getMetrics());
    for (const raw of ['jane', 'john', 's3cr3t', 'example.com', 'user.email', 'x.secret'])
      expect(text).not.toContain(raw);

    // unregistered: the callbacks no longer run, so new decisions are not observed
    unregister();
    traces.sanitize({ 'http.route': '/b' });
    await reader.forceFlush();
    expect(points(exporter, 'otel_privacy.values')).not.toContainEqual({
      attributes: { signal: 'traces', action: 'allow' },
      value: 3,
    });
    await provider.shutdown();
  });

  it('reports the secure exporter counters, spool files included', async () => {
    const policy = definePolicy({ version: 1 });
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const lane = { sent: 7, spooled: 2, replayed: 1, failed: 0, retries: 3, rejectedItems: 0 };
    // a stats snapshot as SecureExporters.stats() returns it (the fields this test reads; the mapping is what is tested)
    const spool = {
      files: 2,
      bytes: 4096,
      written: 2,
      delivered: 0,
      dropped: 0,
      quarantined: 1,
    } as SecureExportStats['spool'];
    const stats = (): SecureExportStats => ({
      traces: lane,
      metrics: lane,
      logs: lane,
      spool,
      handshakeFailures: { 'pin-mismatch': 1 },
      clientCertificateExpiry: undefined,
      certificateReloads: 0,
    });
    registerPrivacySelfMetrics({ policy, meterProvider: provider, exporters: { stats } });
    await reader.forceFlush();
    expect(points(exporter, 'otel_privacy.exporter.retries')).toContainEqual({
      attributes: { signal: 'traces' },
      value: 3,
    });
    expect(points(exporter, 'otel_privacy.exporter.spool.files')).toEqual([{ attributes: {}, value: 2 }]);
    expect(points(exporter, 'otel_privacy.exporter.spool.size')).toEqual([{ attributes: {}, value: 4096 }]);
    expect(points(exporter, 'otel_privacy.exporter.spool.quarantined')).toEqual([{ attributes: {}, value: 1 }]);
    expect(points(exporter, 'otel_privacy.exporter.tls.handshake_failures')).toEqual([
      { attributes: { cause: 'pin-mismatch' }, value: 1 },
    ]);
    await provider.shutdown();
  });

  it('registers the exporter instruments once when the exporters already did on the same provider', async () => {
    const policy = definePolicy({ version: 1 });
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    const lane = { sent: 1, spooled: 0, replayed: 0, failed: 0, retries: 0, rejectedItems: 0 };
    let reads = 0;
    const stats = (): SecureExportStats => {
      reads++;
      return {
        traces: lane,
        metrics: lane,
        logs: lane,
        spool: undefined,
        handshakeFailures: {},
        clientCertificateExpiry: undefined,
        certificateReloads: 0,
      };
    };
    // What createSecureExporters({ meterProvider }) does, then the self-metrics with the same exporters.
    const unregisterByExporters = registerExporterMetrics(stats, provider);
    await reader.forceFlush();
    const readsPerCollection = reads;
    expect(readsPerCollection).toBeGreaterThan(0);
    const unregisterSelf = registerPrivacySelfMetrics({ policy, meterProvider: provider, exporters: { stats } });
    reads = 0;
    await reader.forceFlush();
    expect(reads).toBe(readsPerCollection);
    expect(points(exporter, 'otel_privacy.exporter.batches')).toContainEqual({
      attributes: { signal: 'traces', outcome: 'sent' },
      value: 1,
    });
    // Once the first registration is gone, the same source can be registered again.
    unregisterSelf();
    unregisterByExporters();
    reads = 0;
    await reader.forceFlush();
    expect(reads).toBe(0);
    registerPrivacySelfMetrics({ policy, meterProvider: provider, exporters: { stats } });
    await reader.forceFlush();
    expect(reads).toBe(readsPerCollection);
    await provider.shutdown();
  });
});
