import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  InMemoryMetricExporter,
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { createSecureExporters } from '../../exporters/secure-exporters';
import type { SecureExporters } from '../../exporters/secure-exporters';
import { opensslDate } from '../helpers/test-pki';
import { startTlsReceiverSuite, stopTlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { TlsReceiverSuite } from '../helpers/tls-receiver-suite';
import type { StandardPki } from '../helpers/test-pki';
import type { OtlpTestReceiver } from '../helpers/otlp-test-receiver';
import { CapturingLogger } from '../helpers/capturing-logger';

const DAY = 86_400_000;
let suite: TlsReceiverSuite;
let pki: StandardPki;
let receiver: OtlpTestReceiver;
let dir: string;

beforeAll(async () => {
  suite = await startTlsReceiverSuite('otel-privacy-reload-');
  ({ pki, receiver, work: dir } = suite);
});
afterAll(() => stopTlsReceiverSuite(suite));

async function exportSpan(exporters: SecureExporters, name: string): Promise<void> {
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
  provider.getTracer('reload').startSpan(name).end();
  await exporters.traces.forceFlush();
}

describe('certificate files', () => {
  it('are re-read when they change: new exports use the rotated client certificate; a broken file keeps the old one', async () => {
    const certPath = join(dir, 'client.crt');
    const keyPath = join(dir, 'client.key');
    copyFileSync(pki.client.certPath, certPath);
    copyFileSync(pki.client.keyPath, keyPath);
    const logger = new CapturingLogger();
    const exporters = createSecureExporters({
      endpoint: receiver.url,
      tls: { ca: pki.ca.certPath, cert: certPath, key: keyPath, reloadIntervalMillis: 25 },
      env: {},
      logger,
    });
    try {
      await exportSpan(exporters, 'before-rotation');
      expect(receiver.requests.at(-1)?.clientCommonName).toBe('client-a');

      copyFileSync(pki.rotatedClient.keyPath, keyPath);
      copyFileSync(pki.rotatedClient.certPath, certPath);
      await receiver.waitFor(() => exporters.stats().certificateReloads === 1, 5000, 'reload');
      await exportSpan(exporters, 'after-rotation');
      expect(receiver.requests.at(-1)?.clientCommonName).toBe('client-b');
      expect(logger.messages('info', 'reloaded TLS certificates')).toHaveLength(1);

      // (a reload tick between the two copies above may already have logged one unusable key/cert pair)
      const unusableBefore = logger.messages('error', 'is unusable, keeping the previous certificates').length;
      writeFileSync(certPath, '-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n');
      const unusable = (): number => logger.messages('error', 'is unusable, keeping the previous certificates').length;
      await receiver.waitFor(() => unusable() > unusableBefore, 5000, 'broken file report');
      await new Promise((resolve) => setTimeout(resolve, 100)); // several more reload ticks: still reported once
      expect(logger.messages('error', 'is unusable, keeping the previous certificates')).toHaveLength(
        unusableBefore + 1,
      );
      expect(exporters.stats().certificateReloads).toBe(1);
      await exportSpan(exporters, 'with-broken-file');
      expect(receiver.requests.at(-1)?.clientCommonName).toBe('client-b');
      expect(receiver.spans().map((span) => span.name)).toEqual([
        'before-rotation',
        'after-rotation',
        'with-broken-file',
      ]);
      for (const line of logger.lines) expect(line.message).not.toContain('PRIVATE KEY');
    } finally {
      await exporters.shutdown();
    }
  });

  it('reports client certificate expiry ahead of time: one log line per day under the threshold, and a metric', async () => {
    const soon = pki.pki.issue(pki.ca, {
      name: 'client-expiring',
      usage: 'client',
      notAfter: opensslDate(new Date(Date.now() + 5 * DAY + 3_600_000)),
    });
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const meterProvider = new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 })],
    });
    const logger = new CapturingLogger();
    const exporters = createSecureExporters({
      endpoint: receiver.url,
      tls: { ca: pki.ca.certPath, cert: soon.certPath, key: soon.keyPath, reloadIntervalMillis: 20 },
      env: {},
      logger,
      meterProvider,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 120));
      const warnings = logger.messages('warn', 'expires in 5 day(s)');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`127.0.0.1:${receiver.port}`);
      expect(warnings[0]).toContain('CN=client-expiring');
      const expiry = exporters.stats().clientCertificateExpiry;
      expect(expiry && Math.round((expiry.getTime() - Date.now()) / DAY)).toBe(5);

      await meterProvider.forceFlush();
      const metric = metricExporter
        .getMetrics()
        .flatMap((resourceMetrics) => resourceMetrics.scopeMetrics)
        .flatMap((scope) => scope.metrics)
        .find((candidate) => candidate.descriptor.name === 'otel_privacy.exporter.client_certificate.time_to_expiry');
      const seconds = Number(metric?.dataPoints[0]?.value);
      expect(seconds).toBeGreaterThan(5 * 86_400);
      expect(seconds).toBeLessThan(6 * 86_400);
    } finally {
      await exporters.shutdown();
      await meterProvider.shutdown();
    }
  });

  it('reports an already expired client certificate as an error', async () => {
    const expired = pki.pki.issue(pki.ca, {
      name: 'client-expired',
      usage: 'client',
      notBefore: opensslDate(new Date(Date.now() - 3 * DAY)),
      notAfter: opensslDate(new Date(Date.now() - DAY)),
    });
    const logger = new CapturingLogger();
    const exporters = createSecureExporters({
      endpoint: receiver.url,
      tls: { ca: pki.ca.certPath, cert: expired.certPath, key: expired.keyPath },
      env: {},
      logger,
    });
    await exporters.shutdown();
    expect(logger.messages('error', /client certificate for .* \(CN=client-expired\) expired at/)).toHaveLength(1);
  });
});
