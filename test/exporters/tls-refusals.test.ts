import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createSecureExporters } from '../../exporters/secure-exporters';
import type { SecureTlsOptions } from '../../exporters/secure-exporter-options';
import { createStandardPki } from '../helpers/test-pki';
import type { StandardPki, TestCertificate } from '../helpers/test-pki';
import { OtlpTestReceiver } from '../helpers/otlp-test-receiver';
import type { OtlpReceiverOptions } from '../helpers/otlp-test-receiver';
import { CapturingLogger } from '../helpers/capturing-logger';

let pki: StandardPki;
let wrongHost: TestCertificate;

beforeAll(() => {
  pki = createStandardPki();
  wrongHost = pki.pki.issue(pki.ca, {
    name: 'server-wrong-host',
    usage: 'server',
    subjectAltNames: ['DNS:collector.other.example'],
  });
});

afterAll(() => pki.pki.cleanup());

interface RefusalCase {
  readonly name: string;
  readonly cause: string;
  readonly receiver: () => OtlpReceiverOptions;
  readonly tls?: () => SecureTlsOptions;
  /** Text the handshake error line must carry besides the cause. */
  readonly says?: () => string;
}

const serverTls = (
  server: TestCertificate,
  extra: Partial<NonNullable<OtlpReceiverOptions['tls']>> = {},
): OtlpReceiverOptions => ({
  tls: { cert: server.certPem, key: server.keyPem, ca: pki.ca.certPem, ...extra },
});

const cases: RefusalCase[] = [
  {
    name: 'server certificate from an untrusted CA',
    cause: 'unknown-ca',
    receiver: () => serverTls(pki.serverFromOtherCa),
  },
  {
    name: 'expired server certificate',
    cause: 'server-certificate-expired',
    receiver: () => serverTls(pki.expiredServer),
  },
  {
    name: 'server certificate for another host name',
    cause: 'hostname-mismatch',
    receiver: () => serverTls(wrongHost),
  },
  {
    name: 'SPKI pin mismatch although the CA trusts the certificate',
    cause: 'pin-mismatch',
    receiver: () => serverTls(pki.server),
    tls: () => ({ pins: [pki.rotatedClient.pin] }),
    // the line names the pin the server's leaf actually has (computed with openssl), to fix the configuration from
    says: () => `leaf ${pki.server.pin}`,
  },
  {
    name: 'server limited to TLS 1.2',
    cause: 'protocol-version',
    receiver: () => serverTls(pki.server, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }),
  },
  {
    name: 'mTLS server and no client certificate',
    cause: 'client-certificate-required',
    receiver: () => serverTls(pki.server),
    tls: () => ({ cert: undefined, key: undefined }),
  },
  { name: 'plaintext server and a TLS client', cause: 'not-tls', receiver: () => ({ insecure: true }) },
];

describe('TLS refusals: no data accepted, one log line per cause', () => {
  for (const testCase of cases) {
    it(`refuses: ${testCase.name}`, async () => {
      const receiver = new OtlpTestReceiver(testCase.receiver());
      await receiver.start();
      const logger = new CapturingLogger();
      const endpoint = `https://127.0.0.1:${receiver.port}`;
      const exporters = createSecureExporters({
        endpoint,
        tls: { ca: pki.ca.certPath, cert: pki.client.certPath, key: pki.client.keyPath, ...testCase.tls?.() },
        retry: { initialMillis: 20, maxMillis: 50, maxElapsedMillis: 400 },
        env: {},
        logger,
      });
      try {
        const provider = new TracerProvider({
          spanProcessors: [new SimpleSpanProcessor({ exporter: exporters.traces })],
        });
        const tracer = provider.getTracer('refusal');
        tracer.startSpan('secret-marker-1').end();
        tracer.startSpan('secret-marker-2').end();
        await exporters.traces.forceFlush();

        expect(receiver.attempts).toBe(0);
        expect(receiver.requests).toHaveLength(0);
        const stats = exporters.stats();
        expect(stats.traces.failed).toBe(2);
        expect(stats.traces.sent).toBe(0);
        expect(stats.handshakeFailures[testCase.cause]).toBeGreaterThanOrEqual(2);
        const handshakeLines = logger.messages('error', 'TLS handshake');
        expect(handshakeLines).toHaveLength(1);
        expect(handshakeLines[0]).toContain(`127.0.0.1:${receiver.port}`);
        expect(handshakeLines[0]).toContain(`(${testCase.cause})`);
        if (testCase.says) expect(handshakeLines[0]).toContain(testCase.says());
        for (const line of logger.lines) {
          expect(line.message).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
          expect(line.message).not.toContain(pki.client.keyPem.split('\n')[1]);
        }
      } finally {
        await exporters.shutdown();
        await receiver.stop();
      }
    });
  }
});
