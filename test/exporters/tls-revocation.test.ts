import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { createSecureExporters } from '../../exporters/secure-exporters';
import type { SecureExporters } from '../../exporters/secure-exporters';
import type { SecureTlsOptions } from '../../exporters/secure-exporter-options';
import { CapturingLogger } from '../helpers/capturing-logger';
import { OtlpTestReceiver } from '../helpers/otlp-test-receiver';
import { createStandardPki, opensslDate } from '../helpers/test-pki';
import type { StandardPki } from '../helpers/test-pki';

const DAY = 86_400_000;
let pki: StandardPki;
let receiver: OtlpTestReceiver;
let work: string;
/** CRLs made with the openssl CLI at test time. */
let crls: Record<'revokesServer' | 'empty' | 'otherCaOnly' | 'expired', { path: string; pem: string }>;

beforeAll(async () => {
  pki = createStandardPki();
  work = mkdtempSync(join(tmpdir(), 'otel-privacy-crl-'));
  const now = Date.now();
  crls = {
    revokesServer: pki.pki.createCrl(pki.ca, 'revokes-server', [pki.server]),
    empty: pki.pki.createCrl(pki.ca, 'empty', []),
    otherCaOnly: pki.pki.createCrl(pki.otherCa, 'other-ca-only', []),
    expired: pki.pki.createCrl(pki.ca, 'expired', [], {
      lastUpdate: opensslDate(new Date(now - 3 * DAY)),
      nextUpdate: opensslDate(new Date(now - DAY)),
    }),
  };
  receiver = new OtlpTestReceiver({ tls: { cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem } });
  await receiver.start();
});
afterAll(async () => {
  await receiver?.stop();
  pki?.pki.cleanup();
  rmSync(work, { recursive: true, force: true });
});

function exportersWith(
  tls: Partial<SecureTlsOptions>,
  extra: { logger?: CapturingLogger; meterProvider?: MeterProvider } = {},
) {
  return createSecureExporters({
    endpoint: receiver.url,
    tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath, ...tls },
    retry: { initialMillis: 20, maxMillis: 50, maxElapsedMillis: 300 },
    env: {},
    logger: extra.logger ?? new CapturingLogger(),
    meterProvider: extra.meterProvider,
  });
}

async function exportSpan(exporters: SecureExporters, name: string): Promise<void> {
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })] });
  provider.getTracer('crl').startSpan(name).end();
  await exporters.traces.forceFlush();
}

describe('certificate revocation lists (tls.crl)', () => {
  it('a revoked server certificate is refused with its own cause: one line naming the endpoint and "revoked", counted in the self-metrics', async () => {
    receiver.requests.length = 0;
    receiver.attempts = 0;
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const meterProvider = new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 })],
    });
    const logger = new CapturingLogger();
    const exporters = exportersWith({ crl: crls.revokesServer.path }, { logger, meterProvider });
    try {
      await exportSpan(exporters, 'revoked-1');
      await exportSpan(exporters, 'revoked-2');
      expect(receiver.attempts).toBe(0);
      expect(receiver.requests).toHaveLength(0);
      expect(exporters.stats().traces).toMatchObject({ sent: 0, failed: 2 });
      expect(exporters.stats().handshakeFailures['server-certificate-revoked']).toBeGreaterThanOrEqual(2);
      const lines = logger.messages('error', 'TLS handshake');
      expect(lines).toEqual([
        `otel-privacy secure export: TLS handshake with 127.0.0.1:${receiver.port} failed (server-certificate-revoked): certificate revoked`,
      ]);
      await meterProvider.forceFlush();
      const metric = metricExporter
        .getMetrics()
        .flatMap((resourceMetrics) => resourceMetrics.scopeMetrics)
        .flatMap((scope) => scope.metrics)
        .find((candidate) => candidate.descriptor.name === 'otel_privacy.exporter.tls.handshake_failures');
      const point = metric?.dataPoints.find((p) => p.attributes.cause === 'server-certificate-revoked');
      expect(Number(point?.value)).toBeGreaterThanOrEqual(2);
    } finally {
      await exporters.shutdown();
      await meterProvider.shutdown();
    }
  });

  it('a CRL that does not list the certificate lets it through (file or inline PEM, one or several)', async () => {
    for (const crl of [crls.empty.path, crls.empty.pem, [crls.otherCaOnly.pem, crls.empty.path]]) {
      receiver.requests.length = 0;
      const exporters = exportersWith({ crl });
      try {
        await exportSpan(exporters, 'not-revoked');
        expect(receiver.spans().map((s) => s.name)).toEqual(['not-revoked']);
      } finally {
        await exporters.shutdown();
      }
    }
  });

  it('fails closed when the server certificate cannot be checked: no CRL of its CA, or an expired CRL', async () => {
    for (const [crl, cause] of [
      [crls.otherCaOnly.path, 'crl-unavailable'],
      [crls.expired.path, 'crl-expired'],
    ] as const) {
      receiver.attempts = 0;
      const logger = new CapturingLogger();
      const exporters = exportersWith({ crl }, { logger });
      try {
        await exportSpan(exporters, 'unverifiable');
        expect(receiver.attempts).toBe(0);
        expect(exporters.stats().handshakeFailures[cause]).toBeGreaterThanOrEqual(1);
        expect(logger.messages('error', `failed (${cause})`)).toHaveLength(1);
      } finally {
        await exporters.shutdown();
      }
    }
  });

  it('CRL files are reloaded like certificates: a revocation published later cuts the connection off', async () => {
    const crlPath = join(work, 'collector.crl');
    copyFileSync(crls.empty.path, crlPath);
    receiver.requests.length = 0;
    const logger = new CapturingLogger();
    const exporters = exportersWith({ crl: crlPath, reloadIntervalMillis: 0 }, { logger });
    try {
      await exportSpan(exporters, 'before-revocation');
      expect(receiver.spans().map((s) => s.name)).toEqual(['before-revocation']);
      writeFileSync(crlPath, 'not a crl');
      expect(exporters.reloadCertificates()).toBe(false); // a broken file keeps the previous material
      expect(logger.messages('error', 'is not a PEM certificate revocation list')).toHaveLength(1);
      copyFileSync(crls.revokesServer.path, crlPath);
      expect(exporters.reloadCertificates()).toBe(true);
      await exportSpan(exporters, 'after-revocation');
      expect(receiver.spans().map((s) => s.name)).toEqual(['before-revocation']);
      expect(exporters.stats().handshakeFailures['server-certificate-revoked']).toBeGreaterThanOrEqual(1);
    } finally {
      await exporters.shutdown();
    }
  });

  it('a tls.crl that is not a PEM CRL is a one-line configuration error naming it', () => {
    const bogus = join(work, 'bogus.crl');
    writeFileSync(bogus, pki.ca.certPem);
    expect(() => exportersWith({ crl: bogus })).toThrow(
      `tls.crl file "${bogus}" is not a PEM certificate revocation list (-----BEGIN X509 CRL-----)`,
    );
    expect(() => exportersWith({ crl: join(work, 'missing.crl') })).toThrow(
      /cannot read tls\.crl file ".*missing\.crl": ENOENT/,
    );
  });
});
