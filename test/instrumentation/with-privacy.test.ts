import { logs, metrics, trace } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOnSampler, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { withPrivacy } from '../../instrumentation/with-privacy';
import { definePolicy } from '../../policy/load-policy';
import { CountingSampler } from '../../instrumentation/counting-sampler';
import { PrivacySpanProcessor } from '../../processors/traces/privacy-span-processor';

process.env.WITH_PRIVACY_TEST_HMAC = 'fake-hmac-key-for-the-with-privacy-test-0123';
const policy = definePolicy({
  version: 1,
  keys: { hmac: { id: 'k1', env: 'WITH_PRIVACY_TEST_HMAC' } },
  attributes: {
    allow: ['http.route', 'app.plan', 'http.request.header.x-request-id'],
    hash: ['user.id'],
    drop: ['user.email'],
  },
  resource: { allow: ['service.*'], hash: ['host.name'] },
  logs: { body: 'scan' },
  // applied to metrics only at export, by PrivacyMetricExporter (views cannot see the meter): tells a wrapped push reader apart
  scopes: { 'scoped-meter': { attributes: { drop: ['app.plan'] } } },
  values: { detectors: ['email'], action: 'mask', mask: '[REDACTED:{type}]' },
});
const FAKE_EMAIL = 'jane.doe@example.com';

let sdk: NodeSDK | undefined;
afterEach(async () => {
  await sdk?.shutdown();
  sdk = undefined;
  trace.disable();
  metrics.disable();
  logs.disable();
});

describe('withPrivacy', () => {
  it('wraps both span processors, the push reader and a Prometheus reader, and the log processors', async () => {
    const first = new InMemorySpanExporter();
    const second = new InMemorySpanExporter();
    const pushed = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const push = new PeriodicExportingMetricReader({ exporter: pushed, exportIntervalMillis: 60_000 });
    const prometheus = new PrometheusExporter({ preventServerStart: true });
    const logged = new InMemoryLogRecordExporter();
    const config = withPrivacy(
      {
        resource: resourceFromAttributes({
          'service.name': 'with-privacy-test',
          'host.name': 'laptop-of-jane-doe',
          'process.owner': 'jane',
        }),
        autoDetectResources: false,
        spanProcessors: [new SimpleSpanProcessor({ exporter: first }), new SimpleSpanProcessor({ exporter: second })],
        metricReaders: [push, prometheus],
        logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logged })],
      },
      { policy },
    );
    expect(config.spanProcessors).toHaveLength(1);
    expect(config.spanProcessors![0]).toBeInstanceOf(PrivacySpanProcessor);
    expect(config.metricReaders).toEqual([push, prometheus]);
    expect(config.sampler).toBeInstanceOf(CountingSampler);

    sdk = new NodeSDK(config);
    sdk.start();
    const attributes = {
      'http.route': '/users/:id',
      'user.id': 'jane-0001',
      'user.email': FAKE_EMAIL,
      'app.plan': `gold for ${FAKE_EMAIL}`,
    };
    trace.getTracer('t').startSpan('GET /users/4711', { attributes }).end();
    const counter = metrics.getMeter('scoped-meter').createCounter('orders');
    counter.add(1, attributes);
    counter.add(2, { ...attributes, 'user.email': 'john.roe@example.com' });
    logs.getLogger('l').emit({ body: `hello ${FAKE_EMAIL}`, attributes });

    for (const exporter of [first, second]) {
      const [span] = exporter.getFinishedSpans();
      expect(span.name).toBe('GET /users/4711');
      expect(span.attributes).toEqual({
        'http.route': '/users/:id',
        'user.id': expect.stringMatching(/^k1:/),
        'app.plan': 'gold for [REDACTED:email]',
      });
      expect(span.resource.attributes).toEqual({
        'service.name': 'with-privacy-test',
        'host.name': expect.stringMatching(/^k1:/),
        'privacy.policy.hash': policy.hash,
      });
    }

    // Prometheus (pull): the views collapse the two series into one before aggregation, and its collections go
    // through the exporter wrapper too (protectPullReader): the same attributes as the push reader exports
    const scraped = await prometheus.collect();
    const promOrders = scraped.resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === 'orders');
    expect(promOrders?.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ 'http.route': '/users/:id', 'user.id': expect.stringMatching(/^k1:/) }, 3],
    ]);
    expect(scraped.resourceMetrics.resource.attributes['host.name']).toMatch(/^k1:/);

    // push reader: its exporter now sits behind a PrivacyMetricExporter
    await push.forceFlush();
    const pushedText = JSON.stringify(
      pushed.getMetrics().map((rm) => ({ r: rm.resource.attributes, s: rm.scopeMetrics })),
    );
    expect(pushedText).toContain('"orders"');
    const pushedOrders = pushed
      .getMetrics()
      .at(-1)!
      .scopeMetrics.flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === 'orders');
    expect(pushedOrders?.dataPoints.map((p) => p.attributes)).toEqual([
      { 'http.route': '/users/:id', 'user.id': expect.stringMatching(/^k1:/) },
    ]);
    expect(pushedText).toContain('"privacy.policy.hash"');
    expect(pushedText).not.toContain('example.com');
    expect(pushedText).not.toContain('laptop-of-jane-doe');

    const [record] = logged.getFinishedLogRecords();
    expect(record.body).toBe('hello [REDACTED:email]');
    expect(record.attributes['user.email']).toBeUndefined();
    expect(record.resource.attributes['process.owner']).toBeUndefined();
  });

  it('turns off maxExportBatchSize on a wrapped push reader, so series that collide after redaction are merged, never exported twice', async () => {
    const pushed = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const push = new PeriodicExportingMetricReader({
      exporter: pushed,
      exportIntervalMillis: 60_000,
      maxExportBatchSize: 1,
    });
    const config = withPrivacy({ metricReaders: [push], autoDetectResources: false }, { policy });
    // no views here: collisions reach the exporter wrapper, which must see the export whole
    const provider = new MeterProvider({ readers: config.metricReaders });
    const counter = provider.getMeter('m').createCounter('orders');
    counter.add(1, { 'http.route': '/a', 'user.email': FAKE_EMAIL });
    counter.add(2, { 'http.route': '/a', 'user.email': 'john.roe@example.com' });
    await push.forceFlush();
    const points = pushed
      .getMetrics()
      .flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics))
      .filter((m) => m.descriptor.name === 'orders')
      .flatMap((m) => m.dataPoints as Array<{ attributes: unknown; value: unknown }>);
    expect(points.map((p) => [p.attributes, p.value])).toEqual([[{ 'http.route': '/a' }, 3]]);
    await provider.shutdown();
  });

  it('reads the SDK 2.x singular spanProcessor, logRecordProcessor and metricReader as list entries, wrapped, and returns none of them', async () => {
    const spans = new InMemorySpanExporter();
    const extra = new InMemorySpanExporter();
    const logged = new InMemoryLogRecordExporter();
    const pushed = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const push = new PeriodicExportingMetricReader({ exporter: pushed, exportIntervalMillis: 60_000 });
    // What a NodeSDK 2.x application passes (deprecated singular options; not in the 3.x types).
    const legacy = {
      autoDetectResources: false,
      spanProcessor: new SimpleSpanProcessor({ exporter: spans }),
      spanProcessors: [new SimpleSpanProcessor({ exporter: extra })],
      logRecordProcessor: new SimpleLogRecordProcessor({ exporter: logged }),
      metricReader: push,
    };
    const config = withPrivacy(legacy as Parameters<typeof withPrivacy>[0], { policy });
    for (const key of ['spanProcessor', 'logRecordProcessor', 'metricReader']) expect(config).not.toHaveProperty(key);
    expect(config.spanProcessors).toHaveLength(1);
    expect(config.spanProcessors![0]).toBeInstanceOf(PrivacySpanProcessor);
    expect(config.metricReaders).toEqual([push]);
    expect(config.logRecordProcessors).toHaveLength(1);

    sdk = new NodeSDK(config);
    sdk.start();
    const attributes = { 'http.route': '/users/:id', 'user.email': FAKE_EMAIL, 'app.plan': `gold for ${FAKE_EMAIL}` };
    trace.getTracer('t').startSpan('GET /users/4711', { attributes }).end();
    metrics.getMeter('m').createCounter('orders').add(1, attributes);
    logs.getLogger('l').emit({ body: `hello ${FAKE_EMAIL}`, attributes });

    for (const exporter of [spans, extra])
      expect(exporter.getFinishedSpans().map((s) => s.attributes)).toEqual([
        { 'http.route': '/users/:id', 'app.plan': 'gold for [REDACTED:email]' },
      ]);
    expect(logged.getFinishedLogRecords().map((r) => r.body)).toEqual(['hello [REDACTED:email]']);
    await push.forceFlush();
    const orders = pushed
      .getMetrics()
      .at(-1)!
      .scopeMetrics.flatMap((m) => m.metrics)
      .find((m) => m.descriptor.name === 'orders');
    expect(orders?.dataPoints.map((p) => ({ ...p.attributes }))).toEqual([
      { 'http.route': '/users/:id', 'app.plan': 'gold for [REDACTED:email]' },
    ]);
    expect(JSON.stringify(pushed.getMetrics())).not.toContain('example.com');
  });

  it('wraps a traceExporter given alone, keeps the user sampler and never double-wraps a PrivacySpanProcessor', () => {
    const own = new AlwaysOnSampler();
    const config = withPrivacy(
      { traceExporter: new InMemorySpanExporter(), sampler: own, autoDetectResources: false },
      { policy },
    );
    expect(config.traceExporter).toBeUndefined();
    expect(config.spanProcessors).toHaveLength(1);
    expect(config.spanProcessors![0]).toBeInstanceOf(PrivacySpanProcessor);
    expect(config.sampler).toBe(own);
    // a signal with nothing to wrap gets an explicit empty list, so the SDK builds nothing unsanitized from OTEL_*
    expect(config.metricReaders).toEqual([]);
    expect(config.logRecordProcessors).toEqual([]);

    const already = new PrivacySpanProcessor({
      policy,
      next: new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() }),
    });
    expect(withPrivacy({ spanProcessors: [already], autoDetectResources: false }, { policy }).spanProcessors).toEqual([
      already,
    ]);
  });

  it('uses the exporters it is given for signals the configuration does not set up', () => {
    const config = withPrivacy(
      { autoDetectResources: false },
      {
        policy,
        exporters: {
          traces: new InMemorySpanExporter(),
          metrics: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
          logs: new InMemoryLogRecordExporter(),
        },
      },
    );
    expect(config.spanProcessors).toHaveLength(1);
    expect(config.metricReaders).toHaveLength(1);
    expect(config.metricReaders![0].constructor.name).toBe('PrivacyMetricReader');
    expect(config.logRecordProcessors).toHaveLength(1);
    expect(config.logRecordProcessors![0].constructor.name).toBe('PrivacyLogRecordProcessor');
  });

  it('sets instrumentation options from the policy under the ones given explicitly', () => {
    const http = new HttpInstrumentation({ enabled: false });
    const explicit = new HttpInstrumentation({ enabled: false, redactedQueryParams: ['mine'] });
    withPrivacy({ instrumentations: [http, [explicit]], autoDetectResources: false }, { policy });
    const config = http.getConfig() as Record<string, unknown>;
    expect(config.headersToSpanAttributes).toEqual({
      client: { requestHeaders: ['x-request-id'], responseHeaders: [] },
      server: { requestHeaders: ['x-request-id'], responseHeaders: [] },
    });
    expect(config.redactedQueryParamsServer).toEqual(
      expect.arrayContaining(['X-Amz-Signature', 'sig', 'access_token', 'accessToken', 'email', 'date_of_birth']),
    );
    expect((explicit.getConfig() as Record<string, unknown>).redactedQueryParams).toEqual(['mine']);
  });
});
