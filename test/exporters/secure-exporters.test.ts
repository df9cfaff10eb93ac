import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as grpc from '@grpc/grpc-js';
import { SpanKind } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { createSecureExporters } from '../../exporters/secure-exporters';
import type { SecureExporters } from '../../exporters/secure-exporters';
import { SecureExportConfigError } from '../../exporters/secure-export-config-error';
import { createStandardPki, spkiPinOf } from '../helpers/test-pki';
import type { StandardPki } from '../helpers/test-pki';
import { OtlpTestReceiver } from '../helpers/otlp-test-receiver';
import { CapturingLogger } from '../helpers/capturing-logger';
import { startMtlsReceiver } from '../helpers/mtls-receiver-fixture';

let pki: StandardPki;
let receiver: OtlpTestReceiver;
const open: SecureExporters[] = [];

beforeAll(async () => {
  pki = createStandardPki();
  receiver = new OtlpTestReceiver({ tls: { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem } });
  await receiver.start();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((exporters) => exporters.shutdown()));
  receiver.requests.length = 0;
  receiver.respond = undefined;
});

afterAll(async () => {
  await receiver.stop();
  pki.pki.cleanup();
});

function exportersFor(extra: Partial<Parameters<typeof createSecureExporters>[0]> = {}): SecureExporters {
  const exporters = createSecureExporters({
    endpoint: receiver.url,
    tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath },
    env: {},
    logger: new CapturingLogger(),
    retry: { initialMillis: 20, maxMillis: 100, maxElapsedMillis: 2000 },
    ...extra,
  });
  open.push(exporters);
  return exporters;
}

describe('createSecureExporters over mTLS (TLS 1.3, client certificate required)', () => {
  it('delivers spans from a real TracerProvider intact', async () => {
    const exporters = exportersFor({ headers: { 'x-tenant': 'acme' }, compression: 'gzip' });
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout' }),
      spanProcessors: [new BatchSpanProcessor({ exporter: exporters.traces, scheduledDelayMillis: 10 })],
    });
    const tracer = provider.getTracer('test-scope', '1.2.3');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const span = tracer.startSpan(`op-${i}`, {
        kind: SpanKind.SERVER,
        attributes: { 'marker.index': i, 'http.route': '/cart' },
      });
      ids.push(span.spanContext().spanId);
      span.end();
    }
    await provider.forceFlush();
    await provider.shutdown();

    const spans = receiver.spans();
    expect(spans.map((span) => span.name)).toEqual(['op-0', 'op-1', 'op-2', 'op-3', 'op-4']);
    expect(spans.map((span) => span.spanId)).toEqual(ids);
    expect(spans[3].attributes).toEqual({ 'marker.index': 3, 'http.route': '/cart' });
    expect(spans[0].resource['service.name']).toBe('checkout');
    expect(spans[0].scope).toBe('test-scope');
    const request = receiver.requestsOf('traces')[0];
    expect(request.clientCommonName).toBe('client-a');
    expect(request.metadata['x-tenant']).toBe('acme');
    expect(exporters.stats().traces.sent).toBeGreaterThanOrEqual(1);
  });

  it('forceFlush() waits for a batch already in flight, such as one a BatchSpanProcessor handed over on its own', async () => {
    const exporters = exportersFor();
    const provider = new TracerProvider({
      spanProcessors: [
        new BatchSpanProcessor({ exporter: exporters.traces, maxExportBatchSize: 8, scheduledDelayMillis: 60_000 }),
      ],
    });
    const tracer = provider.getTracer('in-flight');
    const names = Array.from({ length: 8 }, (_, i) => `handed-over-${i}`);
    // the eighth span fills a batch: the processor exports it at once and keeps no reference to it, so its own
    // forceFlush (and the provider's) has nothing left to wait for; only the exporter knows the batch is in flight
    for (const name of names) tracer.startSpan(name).end();
    await exporters.traces.forceFlush();
    expect(receiver.spans().map((span) => span.name)).toEqual(names);
    expect(exporters.stats().traces).toMatchObject({ sent: 1, failed: 0 });
  });

  it('delivers metrics from a real MeterProvider intact', async () => {
    const exporters = exportersFor();
    const reader = new PeriodicExportingMetricReader({ exporter: exporters.metrics, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'billing' }),
      readers: [reader],
    });
    const meter = provider.getMeter('billing-meter');
    meter.createCounter('orders.placed').add(7, { region: 'eu' });
    meter.createHistogram('order.value', { unit: 'EUR' }).record(42.5);
    await provider.forceFlush();
    await provider.shutdown();

    const received = receiver.metrics();
    const orders = received.find((metric) => metric.name === 'orders.placed');
    expect(orders).toBeDefined();
    const sum = orders?.data.sum as {
      dataPoints: Array<{ asInt?: string; asDouble?: number; attributes: unknown }>;
      isMonotonic: boolean;
    };
    expect(sum.isMonotonic).toBe(true);
    expect(Number(sum.dataPoints[0].asInt ?? sum.dataPoints[0].asDouble)).toBe(7);
    const histogram = received.find((metric) => metric.name === 'order.value');
    expect(histogram?.data.unit).toBe('EUR');
    expect(
      (histogram?.data.histogram as { dataPoints: Array<{ sum: number; count: string }> }).dataPoints[0],
    ).toMatchObject({ sum: 42.5, count: '1' });
    expect(orders?.resource['service.name']).toBe('billing');
  });

  it('delivers log records from a real LoggerProvider intact', async () => {
    const exporters = exportersFor();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'auth' }),
      processors: [new SimpleLogRecordProcessor({ exporter: exporters.logs })],
    });
    provider
      .getLogger('auth-logger')
      .emit({ body: 'login ok', severityText: 'INFO', attributes: { 'user.tier': 'gold', attempt: 2 } });
    provider.getLogger('auth-logger').emit({ body: { nested: { list: [1, 'two'] } }, severityText: 'WARN' });
    await provider.forceFlush();
    await provider.shutdown();

    const records = receiver.logRecords();
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      body: 'login ok',
      severityText: 'INFO',
      attributes: { 'user.tier': 'gold', attempt: 2 },
    });
    expect(records[1].body).toEqual({ nested: { list: [1, 'two'] } });
    expect(records[0].resource['service.name']).toBe('auth');
  });

  it('reads endpoint, certificates and headers from the standard environment variables', async () => {
    const exporters = createSecureExporters({
      logger: new CapturingLogger(),
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://wrong.invalid:1',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_CERTIFICATE: pki.ca.certPath,
        OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: pki.client.certPath,
        OTEL_EXPORTER_OTLP_CLIENT_KEY: pki.client.keyPath,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-env=generic',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-env=traces',
        OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      },
    });
    open.push(exporters);
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
    provider.getTracer('env').startSpan('from-env').end();
    await provider.forceFlush();
    const request = receiver.requestsOf('traces')[0];
    expect(receiver.spans().map((span) => span.name)).toEqual(['from-env']);
    expect(request.metadata.authorization).toBe('Bearer abc');
    expect(request.metadata['x-env']).toBe('traces');
    expect(request.clientCommonName).toBe('client-a');
  });

  it('accepts inline PEM material and TLS 1.2 as the configured minimum (still negotiating 1.3)', async () => {
    const exporters = exportersFor({
      tls: {
        ca: pki.ca.certPem,
        cert: Buffer.from(pki.client.certPem),
        key: pki.client.keyPem,
        minVersion: 'TLSv1.2',
        pins: [pki.server.pin],
      },
    });
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
    provider.getTracer('pem').startSpan('inline-pem').end();
    await provider.forceFlush();
    expect(receiver.spans().map((span) => span.name)).toEqual(['inline-pem']);
  });

  it('accepts a CA pin (pins match any certificate of the verified chain)', async () => {
    const exporters = exportersFor({
      tls: {
        ca: pki.ca.certPath,
        cert: pki.client.certPath,
        key: pki.client.keyPath,
        pins: ['sha256/' + Buffer.alloc(32).toString('base64'), spkiPinOf(pki.ca.certPath)],
      },
    });
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
    provider.getTracer('pin').startSpan('pinned').end();
    await provider.forceFlush();
    expect(receiver.spans().map((span) => span.name)).toEqual(['pinned']);
  });

  it('reports a partial success without retrying or failing the batch', async () => {
    const logger = new CapturingLogger();
    const exporters = exportersFor({ logger });
    receiver.respond = () => ({ rejected: 2, message: 'attribute too long' });
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
    provider.getTracer('partial').startSpan('partly').end();
    await provider.forceFlush();
    expect(receiver.attempts).toBeGreaterThan(0);
    expect(exporters.stats().traces).toMatchObject({ sent: 1, retries: 0, rejectedItems: 2 });
    expect(logger.messages('warn', 'rejected 2 traces item(s): attribute too long')).toHaveLength(1);
  });

  it('prints what a receiver answers as one line without control characters (no forged log lines)', async () => {
    const logger = new CapturingLogger();
    const exporters = exportersFor({ logger });
    const forged = 'first\notel-privacy: started: policy FORGED\u001b[31m\u0007\r\u009b2J';
    receiver.respond = () => ({ rejected: 1, message: forged });
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
    provider.getTracer('partial').startSpan('partly').end();
    await provider.forceFlush();
    receiver.respond = () => ({ code: grpc.status.INVALID_ARGUMENT, details: forged });
    provider.getTracer('refused').startSpan('refused').end();
    await provider.forceFlush().catch(() => undefined); // a refused batch fails the flush; the line is what counts
    const lines = [...logger.messages('warn', 'receiver rejected'), ...logger.messages('error', 'receiver refused')];
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect([...line].filter((c) => c.charCodeAt(0) < 0x20 || (c >= '\u007f' && c <= '\u009f'))).toEqual([]);
      expect(line).toContain('first');
    }
  });

  it('never prints credentials, a path or a query of a refused endpoint', () => {
    const attacks = [
      'http://jane:s3cr3t-token@127.0.0.1:1/?token=s3cr3t-token',
      'ftp://jane:s3cr3t-token@127.0.0.1:1/',
      'https://exa mple/s3cr3t-token',
      'https://jane:s3cr3t-token@127.0.0.1:1/x?token=s3cr3t-token',
      'http://127.0.0.1:1/s3cr3t-token#s3cr3t-token',
    ];
    for (const endpoint of attacks) {
      let error: unknown;
      try {
        createSecureExporters({ endpoint, env: {} });
      } catch (caught) {
        error = caught;
      }
      expect(error, endpoint).toBeInstanceOf(SecureExportConfigError);
      expect((error as Error).message, endpoint).not.toMatch(/s3cr3t|jane/);
    }
  });

  it('refuses an http:// endpoint without insecure: true at construction, in one line', () => {
    const attemptsBefore = receiver.attempts;
    let error: unknown;
    try {
      createSecureExporters({ endpoint: `http://127.0.0.1:${receiver.port}`, env: {} });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SecureExportConfigError);
    expect((error as Error).message).toMatch(/plaintext http:\/\/.*insecure: true/);
    expect((error as Error).message).not.toContain('\n');
    expect(() => createSecureExporters({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' } })).toThrow(
      SecureExportConfigError,
    );
    expect(receiver.attempts).toBe(attemptsBefore);
  });

  it('sends plaintext only to an http:// endpoint with an explicit insecure: true (and says tls options are unused)', async () => {
    const plaintext = new OtlpTestReceiver({ insecure: true });
    await plaintext.start();
    const logger = new CapturingLogger();
    const exporters = createSecureExporters({
      endpoint: plaintext.url,
      insecure: true,
      tls: { ca: pki.ca.certPath },
      env: {},
      logger,
    });
    try {
      const provider = new TracerProvider({
        spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })],
      });
      provider.getTracer('plain').startSpan('plaintext-by-choice').end();
      await exporters.traces.forceFlush();
      expect(plaintext.spans().map((span) => span.name)).toEqual(['plaintext-by-choice']);
      expect(logger.messages('warn', 'plaintext endpoint')).toHaveLength(1);
    } finally {
      await exporters.shutdown();
      await plaintext.stop();
    }
  });

  it('delivers traces and logs through the reusable mTLS receiver fixture', async () => {
    const fixture = await startMtlsReceiver();
    const exporters = createSecureExporters({
      endpoint: fixture.endpoint,
      tls: fixture.tls,
      env: {},
      logger: new CapturingLogger(),
    });
    try {
      const tracerProvider = new TracerProvider({
        spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })],
      });
      const loggerProvider = new LoggerProvider({
        processors: [new SimpleLogRecordProcessor({ exporter: exporters.logs })],
      });
      tracerProvider.getTracer('fixture').startSpan('fixture-span').end();
      loggerProvider.getLogger('fixture').emit({ body: 'fixture-log' });
      await Promise.all([exporters.traces.forceFlush(), exporters.logs.forceFlush()]);
      expect(fixture.receiver.spans().map((span) => span.name)).toEqual(['fixture-span']);
      expect(fixture.receiver.logRecords().map((record) => record.body)).toEqual(['fixture-log']);
      expect(new Set(fixture.receiver.requests.map((request) => request.clientCommonName))).toEqual(
        new Set(['client-a']),
      );
    } finally {
      await exporters.shutdown();
      await fixture.close();
    }
  });

  it('rejects invalid header names at construction', () => {
    expect(() => createSecureExporters({ endpoint: receiver.url, env: {}, headers: { 'bad header': 'x' } })).toThrow(
      SecureExportConfigError,
    );
  });

  it('rejects malformed pins, unknown ciphers, TLS versions below 1.2, unreadable files and half a key pair', () => {
    const base = { endpoint: receiver.url, env: {} };
    expect(() => createSecureExporters({ ...base, tls: { pins: ['sha256/abc'] } })).toThrow(/tls.pins/);
    // the whole entry is the pin: nothing before or after it (surrounding white space is ignored)
    for (const bad of [
      `x${pki.server.pin}`,
      `${pki.server.pin}x`,
      `${pki.server.pin}=`,
      `sha1/${pki.server.pin.slice(7)}`,
    ])
      expect(() => createSecureExporters({ ...base, tls: { pins: [bad] } }), bad).toThrow(/tls.pins entry/);
    expect(() => createSecureExporters({ ...base, tls: { pins: [` ${pki.server.pin}\n`] } })).not.toThrow();
    expect(() => createSecureExporters({ ...base, tls: { ciphers: ['RC4-MD5-NOPE'] } })).toThrow(/unknown cipher/);
    expect(() => createSecureExporters({ ...base, tls: { minVersion: 'TLSv1.1' as 'TLSv1.2' } })).toThrow(/minVersion/);
    expect(() => createSecureExporters({ ...base, tls: { ca: '/nonexistent/ca.pem' } })).toThrow(
      /cannot read tls.ca file/,
    );
    expect(() => createSecureExporters({ ...base, tls: { cert: pki.client.certPath } })).toThrow(/given together/);
    expect(() =>
      createSecureExporters({ ...base, tls: { cert: pki.client.certPath, key: pki.rotatedClient.keyPath } }),
    ).toThrow(/invalid TLS material/);
  });
});
