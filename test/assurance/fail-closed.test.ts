import { LoggerProvider, InMemoryLogRecordExporter, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PrivacyLogRecordProcessor, PrivacySpanProcessor, definePolicy } from '../../index';
import type { Policy } from '../../index';
import type * as UrlSanitizerModule from '../../engine/sanitizers/url-sanitizer';
import type { UrlSanitizerOptions } from '../../engine/sanitizers/url-sanitizer';
import { OtlpJsonRedactor } from '../../cli/otlp-json-redactor';
import { ScanReport } from '../../cli/scan-report';
import { PrivacyMetricExporter } from '../../processors/metrics/privacy-metric-exporter';
import { privacyViews } from '../../processors/metrics/privacy-views';
import { metricOf, pipeline, series } from '../processors/metrics/metric-test-kit';

/**
 * Fail closed, path by path: a transform that throws (the URL sanitizer, made to throw on values carrying
 * `fake-explode`) or a value that throws when read must never let the raw item through; the item is dropped
 * (or loses what could not be sanitized) and counted. See docs/fail-closed.md.
 */
const EXPLODE = 'fake-explode';
const RAW = `https://shop.example/cart?token=${EXPLODE}-fake-secret`;

vi.mock('../../engine/sanitizers/url-sanitizer', async (importOriginal) => {
  const real = await importOriginal<typeof UrlSanitizerModule>();
  return {
    ...real,
    createUrlSanitizer: (options?: UrlSanitizerOptions) => {
      const sanitize = real.createUrlSanitizer(options);
      return (value: string) => {
        if (typeof value === 'string' && value.includes(EXPLODE)) throw new Error('transform exploded');
        return sanitize(value);
      };
    },
  };
});

const KEY_ENV = 'TEST_FAIL_CLOSED_HMAC';
afterEach(() => {
  delete process.env[KEY_ENV];
});

function makePolicy(): Policy {
  process.env[KEY_ENV] = 'fake-hmac-key-for-fail-closed-tests-0123456789';
  return definePolicy({
    version: 1,
    keys: { hmac: { id: 'k1', env: KEY_ENV } },
    attributes: { allow: ['url.full', 'http.route'] },
    metrics: { attributes: { allow: ['url.full', 'fake.tier'] } },
    resource: { allow: ['service.name'] },
    sanitizers: { url: { attributes: ['url.full'] } },
  });
}

const noRaw = (value: unknown) => expect(JSON.stringify(value) ?? '').not.toContain(EXPLODE);

describe('fail closed: a throwing transform never lets raw telemetry through', () => {
  it('span start (onStart): the span is dropped and counted', async () => {
    const policy = makePolicy();
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const tracer = provider.getTracer('t');
    tracer.startSpan('bad', { attributes: { 'url.full': RAW } }).end();
    tracer.startSpan('good', { attributes: { 'http.route': '/cart' } }).end();
    await provider.forceFlush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['good']);
    expect(policy.counters.dropped.traces.failed).toBe(1);
  });

  it('span end (onEnding): a value set after start is never exported raw; the span is dropped and counted', async () => {
    const policy = makePolicy();
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new PrivacySpanProcessor({ policy, next: new SimpleSpanProcessor({ exporter }) })],
    });
    const span = provider.getTracer('t').startSpan('bad');
    span.setAttribute('url.full', RAW);
    span.end();
    await provider.forceFlush();
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(policy.counters.dropped.traces.failed).toBe(1);
  });

  it('log record (onEmit): the record is dropped and counted', async () => {
    const policy = makePolicy();
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [new PrivacyLogRecordProcessor({ policy, next: new SimpleLogRecordProcessor({ exporter }) })],
    });
    const logger = provider.getLogger('t');
    logger.emit({ body: 'bad', attributes: { 'url.full': RAW } });
    logger.emit({ body: 'good', attributes: { 'http.route': '/cart' } });
    await provider.forceFlush();
    const records = exporter.getFinishedLogRecords();
    expect(records.map((r) => r.attributes)).toEqual([{ 'http.route': '/cart' }]);
    noRaw(records.map((r) => [r.body, r.attributes]));
    expect(policy.counters.dropped.logs.failed).toBe(1);
  });

  it('metric export: a metric that cannot be sanitized is dropped and counted; the others are exported', async () => {
    const policy = makePolicy();
    const { meter, collect, provider } = pipeline(policy);
    meter().createCounter('fake.bad').add(1, { 'url.full': RAW });
    meter().createCounter('fake.good').add(1, { 'fake.tier': 'gold' });
    const rm = await collect();
    expect(metricOf(rm, 'fake.bad')).toBeUndefined();
    expect(series(metricOf(rm, 'fake.good'))).toEqual([{ attributes: { 'fake.tier': 'gold' }, value: 1 }]);
    noRaw(rm.scopeMetrics);
    expect(policy.counters.dropped.metrics.failed).toBe(1);
    await provider.shutdown();
  });

  it('metric export: an export whose structure cannot be read fails, forwards nothing and is counted', async () => {
    const policy = makePolicy();
    const forwarded: unknown[] = [];
    const exporter = new PrivacyMetricExporter({
      policy,
      exporter: {
        export: (m, cb) => {
          forwarded.push(m);
          cb({ code: 0 });
        },
        forceFlush: async () => {},
        shutdown: async () => {},
      },
    });
    const broken = {
      resource: { attributes: {}, getRawAttributes: () => [] },
      get scopeMetrics(): never {
        throw new Error('getter exploded');
      },
    };
    const result = await new Promise<{ code: number; error?: Error }>((resolve) =>
      exporter.export(broken as never, resolve),
    );
    expect(result.code).toBe(1);
    expect(forwarded).toEqual([]);
    expect(policy.counters.dropped.metrics.failed).toBe(1);
  });

  it('metric views (before aggregation): the measurement loses its attributes and is counted', async () => {
    const policy = makePolicy();
    const { meter, collect, provider } = pipeline(policy, { views: privacyViews(policy) });
    meter().createCounter('fake.hits').add(1, { 'url.full': RAW });
    const rm = await collect();
    expect(series(metricOf(rm, 'fake.hits'))).toEqual([{ attributes: {}, value: 1 }]);
    noRaw(rm.scopeMetrics);
    expect(policy.counters.dropped.metrics.failed).toBe(1);
    await provider.shutdown();
  });

  it('otel-privacy scan (OTLP JSON): a span that cannot be sanitized is left out; attributes that cannot be are emptied; both counted', () => {
    const policy = makePolicy();
    const report = new ScanReport(policy);
    const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });
    const request = {
      resourceSpans: [
        {
          resource: { attributes: [] },
          scopeSpans: [
            {
              scope: { name: 's' },
              spans: [
                { name: 'bad', traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), attributes: [kv('url.full', RAW)] },
                { name: 'good', traceId: 'a'.repeat(32), spanId: 'c'.repeat(16), attributes: [] },
              ],
            },
          ],
        },
      ],
      resourceMetrics: [
        {
          resource: { attributes: [] },
          scopeMetrics: [
            {
              scope: { name: 's' },
              metrics: [
                {
                  name: 'fake.hits',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [{ asInt: '1', attributes: [kv('url.full', RAW), kv('fake.tier', 'gold')] }],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    new OtlpJsonRedactor(policy, report).sanitize(request);
    const spans = request.resourceSpans[0].scopeSpans[0].spans;
    expect(spans.map((s) => s.name)).toEqual(['good']);
    expect(request.resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[0].attributes).toEqual([]);
    noRaw(request);
    expect(policy.counters.dropped.traces.failed).toBe(1);
    expect(policy.counters.dropped.metrics.failed).toBe(1);
    expect(report.items.failed).toBe(2);
  });
});
